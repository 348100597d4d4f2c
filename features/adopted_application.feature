@lifecycle @mutating
Feature: The domain steps act on any application the scenario saved
  An application made with a raw request (a profile created with several
  products by id, or a product added by a raw POST) is the scenario's
  application once its id is saved as {{application_id}}: the decision, task,
  blocker and wait steps act on it as on one a domain step made. Products are
  named by their role, so the scenarios run on any account's catalogue.

  Scenario: A profile created with several products by id; the decision steps act on the saved one
    When I send a POST request to "/profiles" with body:
      """
      {"role": "INDIVIDUAL_CUSTOMER",
       "collected_data": {"entity_type": "INDIVIDUAL",
         "personal_details": {"name": {"given_names": ["Jane"], "family_name": "Doe"}, "dob": "1990-01-31", "nationality": "GBR"}},
       "applications": [
         {"product": {"id": "{{product.basic_individual.id}}"}},
         {"product": {"id": "{{product.multi_task_individual.id}}"}}]}
      """
    Then the status is 200
    And the JSON at "applications" has 2 items
    When I save the JSON at "applications.#(product.alias==\"{{product.basic_individual.alias}}\").id" as "application_id"
    Then the application has an "INCOMPLETE_TASK" approval blocker for "INDIVIDUAL_VERIFY_IDENTITY"
    And within 5 seconds the application's flag becomes REQUIRES_MANUAL_TASK_COMPLETION
    When I complete the task "INDIVIDUAL_VERIFY_IDENTITY" with COMPLETED_PASS
    Then within 5 seconds the application's flag becomes READY_FOR_DECISION
    And the application has no approval blockers
    When I approve the application
    Then the status is 200
    And the application is APPROVED with flag DECIDED
    And the JSON at "product.id" equals "{{product.basic_individual.id}}"
    And the application's history is "APPLIED, APPROVED"

  Scenario: The other product of the same raw profile, adopted by saving its id
    When I send a POST request to "/profiles" with body:
      """
      {"role": "INDIVIDUAL_CUSTOMER",
       "collected_data": {"entity_type": "INDIVIDUAL",
         "personal_details": {"name": {"given_names": ["Jane"], "family_name": "Doe"}, "dob": "1990-01-31", "nationality": "GBR"}},
       "applications": [
         {"product": {"id": "{{product.basic_individual.id}}"}},
         {"product": {"id": "{{product.multi_task_individual.id}}"}}]}
      """
    And I save the JSON at "applications.#(product.id==\"{{product.multi_task_individual.id}}\").id" as "application_id"
    Then the application has 3 approval blockers
    When I complete every task with COMPLETED_PASS
    Then within 5 seconds the application settles
    And the application has no approval blockers
    When I reject the application
    Then the status is 200
    And the application is REJECTED with flag DECIDED
    And the JSON at "product.alias" equals "{{product.multi_task_individual.alias}}"

  Scenario: A product added with a raw POST to a profile without automatic products
    Given an INDIVIDUAL profile without the automatically applied products
    When I send a POST request to "/profiles/{{profile_id}}/applications" with body:
      """
      {"product": {"alias": "{{product.basic_individual.alias}}"}}
      """
    Then the status is 200
    When I save the JSON at "id" as "application_id"
    And I list the profile's applications
    Then the JSON at "#" equals 1
    And the application is listed exactly once
    When I reject the application
    Then the status is 200
    And the application is REJECTED with flag DECIDED
    And the application's history is "APPLIED, REJECTED"

  Scenario: A raw profile's application is adopted without its profile id being saved
    When I send a POST request to "/profiles" with body:
      """
      {"role": "INDIVIDUAL_CUSTOMER",
       "collected_data": {"entity_type": "INDIVIDUAL",
         "personal_details": {"name": {"given_names": ["Jane"], "family_name": "Doe"}, "dob": "1990-01-31", "nationality": "GBR"}},
       "applications": [{"product": {"alias": "{{product.basic_individual.alias}}"}}]}
      """
    And I save the JSON at "applications.0.id" as "application_id"
    And I suspend the profile
    Then the application has a "SUSPENDED_PROFILE" approval blocker
    When I restore the profile
    And I complete the task "INDIVIDUAL_VERIFY_IDENTITY" with COMPLETED_PASS
    Then within 5 seconds the application's flag becomes READY_FOR_DECISION
