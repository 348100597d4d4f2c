@profiles
Feature: Create a profile and its product application in one call
  The guide: "instead of creating the profile with one call to the API and
  adding the product application as a second call, you can create a profile
  and add a product application to it using a single call".

  @smoke @mutating
  Scenario: Create an INDIVIDUAL profile with forexo_basic
    When I create an INDIVIDUAL profile with the product "forexo_basic"
    Then the status is 200
    And the JSON at "role" equals "INDIVIDUAL_CUSTOMER"
    And the JSON at "applications" has 1 item
    And the JSON has:
      | path                            | value                                |
      | applications.0.product.alias    | "{{product.basic_individual.alias}}" |
      | applications.0.status           | "APPLIED"                            |
      | applications.0.flag             | "AUTOMATING"                         |
      | applications.0.hidden           | false                                |
      | applications.0.assignments      | []                                   |
      | applications.0.required_tasks.# | 1                                    |

  @mutating
  Scenario: The application created with the profile is listed once
    When I create an INDIVIDUAL profile with the product "forexo_basic"
    And I list the profile's applications
    Then the status is 200
    And the JSON at "#" equals 1
    And the application is listed exactly once

  @mutating
  Scenario: A COMPANY profile created with a company product
    When I create a COMPANY profile with the product "forexo_business"
    Then the status is 200
    And the JSON at "role" equals "COMPANY_CUSTOMER"
    And the JSON at "collected_data.entity_type" equals "COMPANY"
    And the JSON at "applications.0.product.alias" equals "{{product.company.alias}}"

  @mutating @mock-only
  Scenario: Without applications a profile gets the automatically applied products
    Given an INDIVIDUAL profile
    When I list the profile's applications
    Then the status is 200
    And the JSON at "#" equals 1
    And the JSON at "0.product.alias" equals "{{product.auto_apply.alias}}"
    And the JSON at "0.status" equals "APPLIED"

  @mutating
  Scenario: A profile without the automatically applied products starts with none
    Given an INDIVIDUAL profile without the automatically applied products
    When I list the profile's applications
    Then the status is 200
    And the JSON at "#" equals 0
    When I add the product "forexo_basic" to the profile
    And I list the profile's applications
    Then the JSON at "#" equals 1
    And the JSON at "0.product.alias" equals "{{product.basic_individual.alias}}"

  @mutating @negative
  Scenario: A profile whose collected data does not match its role is refused
    When I send a POST request to "/profiles" with body:
      """
      {"role": "COMPANY_CUSTOMER", "collected_data": {"entity_type": "INDIVIDUAL", "personal_details": {"name": {"given_names": ["Jane"], "family_name": "Doe"}}}}
      """
    Then the status is 400
    And the response is an error with code 201
