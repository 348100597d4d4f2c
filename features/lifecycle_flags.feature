@lifecycle @mutating
Feature: The flag says what to do next
  One flag at a time; when several apply, the first in the documented order
  wins: DECIDED, REQUIRES_RISK_SCORE, REQUIRES_DATA, WAITING_ON_COLLECTION_STEPS,
  WAITING_ON_CHECKS, REQUIRES_MANUAL_TASK_COMPLETION, READY_FOR_DECISION.

  Scenario: Checks still running show WAITING_ON_CHECKS, then the tasks are waited for
    Given an INDIVIDUAL profile
    When I add the product "forexo_plus" to the profile
    Then within 5 seconds the application's flag becomes REQUIRES_MANUAL_TASK_COMPLETION
    And the application's flag history includes WAITING_ON_CHECKS
    And the application's flag history includes AUTOMATING

  Scenario: Missing risk data shows REQUIRES_RISK_SCORE
    Given an INDIVIDUAL profile without risk data
    When I add the product "forexo_credit" to the profile
    Then within 5 seconds the application's flag becomes REQUIRES_RISK_SCORE
    And the application has an "UNDETERMINED_RISK" approval blocker

  Scenario: An escalating policy waits for escalation before a manual approval
    Given an INDIVIDUAL profile
    When I add the product "forexo_private" to the profile
    And I complete every task with COMPLETED_PASS
    Then within 5 seconds the application's flag becomes WAITING_ON_ESCALATION
    When I approve the application
    Then the status is 200
    And the application is APPROVED with flag DECIDED

  Scenario: An approved application whose task expires soon shows NEARING_EXPIRY
    Given an INDIVIDUAL profile
    When I add the product "forexo_travel" to the profile
    And I complete every task with COMPLETED_PASS
    And I approve the application
    Then the status is 200
    And within 5 seconds the application's flag becomes NEARING_EXPIRY
    And the application's status is APPROVED

  Scenario: A suspended profile blocks approval but does not revoke it
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    And I complete every task with COMPLETED_PASS
    And I suspend the profile
    Then the application has a "SUSPENDED_PROFILE" approval blocker
    When I approve the application
    Then the status is 409
    And the response is an error with code 402
    When I restore the profile
    Then the application has no approval blockers
    When I approve the application
    Then the status is 200
    When I suspend the profile
    Then the application's status is APPROVED
    And the application has a "SUSPENDED_PROFILE" approval blocker

  Scenario: An unresolved event blocks an application until it is resolved
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    And I complete every task with COMPLETED_PASS
    And an unresolved "PEP_FLAG" event is raised on the profile
    Then the application has an "UNRESOLVED_EVENT" approval blocker
    And within 5 seconds the application's flag becomes REQUIRES_MANUAL_TASK_COMPLETION
    When I resolve the event as MISMATCH
    Then the application has no approval blockers
    And the application's flag is READY_FOR_DECISION

  Scenario: An unresolved event on an approved application puts it IN_REVIEW
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    And I complete every task with COMPLETED_PASS
    And I approve the application
    And an unresolved "SANCTION_FLAG" event is raised on the profile
    Then the application's status is IN_REVIEW
    And the application has an "UNRESOLVED_EVENT" approval blocker
    When I resolve the event as MISMATCH
    Then within 5 seconds the application's flag becomes READY_FOR_DECISION
    And the application's status is IN_REVIEW
