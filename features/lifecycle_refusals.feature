@lifecycle @mutating @negative
Feature: Forbidden transitions are refused with the documented error
  A refused status change answers 409 with PassFort's code: 102
  ENTITY_ALREADY_APPROVED, 103 ENTITY_ALREADY_REJECTED or 402 TRANSITION_ERROR,
  and changes nothing.

  Scenario: An application with approval blockers cannot be approved
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    And I approve the application
    Then the status is 409
    And the response is an error with code 402
    And the application's status is APPLIED

  Scenario: An approved application cannot be approved again
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    And I complete every task with COMPLETED_PASS
    And I approve the application
    And I approve the application
    Then the status is 409
    And the response is an error with code 102

  Scenario Outline: A rejected application cannot be changed but by revert
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    And I reject the application
    And I <verb> the application
    Then the status is 409
    And the response is an error with code 103
    And the application's status is REJECTED

    Examples:
      | verb    |
      | approve |
      | cancel  |
      | reject  |

  Scenario: A cancelled application cannot be approved
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    And I complete every task with COMPLETED_PASS
    And I approve the application
    And I cancel the application
    And I approve the application
    Then the status is 409
    And the response is an error with code 402
    And the application's status is CANCELLED

  Scenario: An application that was approved is cancelled, never rejected
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    And I complete every task with COMPLETED_PASS
    And I approve the application
    And I reject the application
    Then the status is 409
    And the response is an error with code 402
    And the application's status is APPROVED

  Scenario: An application that was never approved is rejected, never cancelled
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    And I cancel the application
    Then the status is 409
    And the response is an error with code 402
    And the application's status is APPLIED

  Scenario Outline: Statuses the API sets itself cannot be set by hand
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    And I complete every task with COMPLETED_PASS
    And I approve the application
    And I set the application's status to <status> by hand
    Then the status is 409
    And the response is an error with code 402
    And the application's status is APPROVED

    Examples:
      | status    |
      | APPLIED   |
      | IN_REVIEW |

  Scenario: An application without a decision has nothing to revert
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    And I revert the decision
    Then the status is 409
    And the response is an error with code 402

  Scenario: A status outside the enum is invalid input
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    And I send a POST request to "/profiles/{{profile_id}}/applications/{{application_id}}" with body:
      """
      {"status": "WITHDRAWN"}
      """
    Then the status is 400
    And the response is an error with code 201

  Scenario: A revert cannot itself be reverted
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    And I reject the application
    And I revert the decision
    Then the status is 200
    When I revert the decision
    Then the status is 409
    And the response is an error with code 402
    And the application's history after the revert is "APPLIED, REJECTED, APPLIED"

  Scenario: A revert cannot reopen a product the profile has added again
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    And I reject the application
    And I save the JSON at "id" as "rejected_id"
    And I add the product "forexo_basic" to the profile
    Then the status is 200
    When I send a POST request to "/profiles/{{profile_id}}/applications/{{rejected_id}}/revert_decision"
    Then the status is 409
    And the response is an error with code 202
    When I send a GET request to "/profiles/{{profile_id}}/applications/{{rejected_id}}"
    Then the JSON at "status" equals "REJECTED"
