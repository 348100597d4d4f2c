@applications
Feature: Add a product application to a profile
  As an integrator following PassFort's guide "Add a product application to a
  profile using the API", I add a product to an existing profile by its alias
  (recommended) or by its id, and get back the new application exactly as the
  guide's sample response shows it.

  @smoke @mutating
  Scenario: Add forexo_basic to an INDIVIDUAL profile by alias
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    Then the status is 200
    And the application is APPLIED with flag AUTOMATING
    And the JSON has:
      | path                          | value                                  |
      | product.alias                 | "{{product.basic_individual.alias}}"   |
      | product.automatically_approve | false                                  |
      | product.id                    | "{{product.basic_individual.id}}"      |
      | product.name                  | "{{product.basic_individual.name}}"    |
      | hidden                        | false                                  |
      | assignments                   | []                                     |
      | required_tasks.#              | 1                                      |
      | required_tasks.0.task_type    | "INDIVIDUAL_VERIFY_IDENTITY"           |
      | approval_blockers.#           | 1                                      |
      | approval_blockers.0.blocker_type | "INCOMPLETE_TASK"                   |
      | approval_blockers.0.task_type | "INDIVIDUAL_VERIFY_IDENTITY"           |
      | history.#                     | 1                                      |
      | history.0.status              | "APPLIED"                              |
      | flag_history.#                | 1                                      |
      | flag_history.0.status         | "APPLIED"                              |
      | flag_history.0.flag           | "AUTOMATING"                           |
    And the JSON at "id" matches "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
    And the JSON at "required_tasks.0.id" matches "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
    And the JSON at "history.0.date" matches "^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"
    And the JSON at "flag_history.0.date" matches "^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"
    And the JSON at "associated_role" does not exist

  @mutating
  Scenario: Add forexo_basic to an INDIVIDUAL profile by id
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile by id
    Then the status is 200
    And the application is APPLIED with flag AUTOMATING
    And the JSON at "product.alias" equals "{{product.basic_individual.alias}}"
    And the JSON at "product.name" equals "{{product.basic_individual.name}}"
    And the JSON at "required_tasks.0.task_type" equals "INDIVIDUAL_VERIFY_IDENTITY"

  @mutating
  Scenario: The required task of a new application is one of the profile's tasks
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    And I save the JSON at "required_tasks.0.id" as "task_id"
    And I fetch the task
    Then the status is 200
    And the JSON at "id" equals "{{task_id}}"
    And the JSON at "type" equals "INDIVIDUAL_VERIFY_IDENTITY"
    And the JSON at "state" equals "INCOMPLETE"
    And the JSON at "is_complete" equals false

  @mutating
  Scenario: A product with several tasks gets one blocker per task
    Given an INDIVIDUAL profile
    When I add the product "forexo_plus" to the profile
    Then the status is 200
    And the JSON at "required_tasks" has 3 items
    And the JSON at "approval_blockers" has 3 items
    And the JSON at "approval_blockers.#(blocker_type==\"INCOMPLETE_TASK\")#" has 3 items

  @smoke @mutating
  Scenario: The new application is listed exactly once
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    And I list the profile's applications
    Then the status is 200
    And the application is listed exactly once

  @mutating
  Scenario: The new application can be fetched by its id
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    And I fetch the application
    Then the status is 200
    And the JSON at "id" equals "{{application_id}}"
    And the JSON at "product.alias" equals "{{product.basic_individual.alias}}"
    And the JSON at "status" equals "APPLIED"

  @mutating
  Scenario: The profile shows the new application exactly once
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    And I fetch the profile
    Then the status is 200
    And the application is listed exactly once

  @mutating
  Scenario: The same product cannot be applied for twice while open
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    And I add the product "forexo_basic" to the profile
    Then the status is 409
    And the response is an error with code 202
