@applications
Feature: Product applications for companies and their associates
  The guide: "You can add product applications to profiles with the INDIVIDUAL
  or COMPANY type", and associated_role "is only used when the product
  application is for a company associate".

  @mutating
  Scenario: Add a company product to a COMPANY profile
    Given a COMPANY profile
    When I add the product "forexo_business" to the profile
    Then the status is 200
    And the application is APPLIED with flag AUTOMATING
    And the JSON at "product.alias" equals "{{product.company.alias}}"
    And the JSON at "required_tasks" has 4 items
    And the JSON at "required_tasks.0.task_type" matches "^COMPANY_"
    And the JSON at "approval_blockers" has 4 items
    And the JSON at "associated_role" does not exist

  @mutating
  Scenario Outline: Add a product to a company associate with its role
    Given a <kind> profile
    When I add the product "<product>" to the profile as <role>
    Then the status is 200
    And the JSON at "associated_role" equals "<role>"
    And the JSON at "status" equals "APPLIED"

    Examples:
      | kind                  | product         | role              |
      | INDIVIDUAL_ASSOCIATED | forexo_basic    | DIRECTOR          |
      | INDIVIDUAL_ASSOCIATED | forexo_basic    | BENEFICIAL_OWNER  |
      | COMPANY_ASSOCIATED    | forexo_business | SHAREHOLDER       |

  @mutating @negative
  Scenario: associated_role is refused for a customer profile
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile as DIRECTOR
    Then the status is 400
    And the response is an error with code 201

  @mutating @negative
  Scenario: A company product cannot be added to an INDIVIDUAL profile
    Given an INDIVIDUAL profile
    When I add the product "forexo_business" to the profile
    Then the status is 400
    And the response is an error with code 201
