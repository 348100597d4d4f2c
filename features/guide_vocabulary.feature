@mutating
Feature: The guide's vocabulary for feature writers
  Steps a QA engineer reaches for when writing features from the PassFort
  guide: expectations that a value differs or that a list or text holds (or
  lacks) something, a decision with a comment, waiting for the application to
  settle without naming the flag it settles on, and a request with a body but
  a missing or wrong API key.

  Scenario: A rejection with a comment is in the history, an approval is not
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    And I reject the application with the comment "documents did not match"
    Then the status is 200
    And the JSON at "status" does not equal "APPLIED"
    And the JSON at "history.#.status" contains "REJECTED"
    And the JSON at "history.#.status" does not contain "APPROVED"
    And the JSON at "history.#.comment" contains "documents did not match"

  Scenario: A cancellation with a comment after an approval
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    And I complete the task "INDIVIDUAL_VERIFY_IDENTITY" with COMPLETED_PASS
    And I approve the application
    Then the status is 200
    When I cancel the application with the comment "customer withdrew"
    Then the status is 200
    And the application is CANCELLED with flag DECIDED
    And the JSON at "history.#.comment" contains "customer withdrew"

  Scenario: Waiting until the application settles, whatever flag comes next
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    Then within 5 seconds the application settles
    And the JSON at "flag" equals "{{flag}}"
    And the JSON at "flag" does not equal "AUTOMATING"
    And the JSON at "flag" does not equal "WAITING_ON_CHECKS"

  Scenario: Text contains a part of it, and lacks another
    When I ask who I am
    Then the status is 200
    And the JSON at "institution.name" contains "mock"
    And the JSON at "institution.name" does not contain "no such words"

  @negative
  Scenario: Creating a profile without an API key is refused with 203 MISSING_API_KEY
    When I send a POST request to "/profiles" without an API key with body:
      """
      {"role": "INDIVIDUAL_CUSTOMER", "collected_data": {"entity_type": "INDIVIDUAL"}}
      """
    Then the status is 401
    And the response is an error with code 203

  @negative
  Scenario: Creating a profile with a wrong API key is refused with 204 INVALID_API_KEY
    When I send a POST request to "/profiles" with the API key "wrong-key-0000" and body:
      """
      {"role": "INDIVIDUAL_CUSTOMER", "collected_data": {"entity_type": "INDIVIDUAL"}}
      """
    Then the status is 401
    And the response is an error with code 204
