@lifecycle @mutating
Feature: Product application decisions
  An application starts APPLIED. It is approved by the smart policy or by a
  manual decision (POST .../applications/{id} with a status), rejected while it
  was never approved, cancelled once it was, and either decision can be
  reverted with revert_decision.

  @smoke
  Scenario: The whole forexo_basic journey from APPLIED to APPROVED
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    Then the application is APPLIED with flag AUTOMATING
    And within 5 seconds the application's flag becomes REQUIRES_MANUAL_TASK_COMPLETION
    And the application has an "INCOMPLETE_TASK" approval blocker for "INDIVIDUAL_VERIFY_IDENTITY"
    When I complete the task "INDIVIDUAL_VERIFY_IDENTITY" with COMPLETED_PASS
    Then the application's flag is READY_FOR_DECISION
    And the application has no approval blockers
    When I approve the application
    Then the status is 200
    And the application is APPROVED with flag DECIDED
    And the application's history is "APPLIED, APPROVED"
    And the JSON at "flag_history.#" equals 4

  Scenario: The older is_complete form completes a task too
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    And I mark the task "INDIVIDUAL_VERIFY_IDENTITY" as complete
    Then within 5 seconds the application's flag becomes READY_FOR_DECISION
    And the application has no approval blockers

  Scenario: Each completed task removes its own blocker
    Given an INDIVIDUAL profile
    When I add the product "forexo_plus" to the profile
    Then the application has 3 approval blockers
    When I complete the task "INDIVIDUAL_VERIFY_ADDRESS" with COMPLETED_PASS
    Then the application has 2 approval blockers
    And the application has an "INCOMPLETE_TASK" approval blocker for "INDIVIDUAL_VERIFY_IDENTITY"
    When I complete every task with COMPLETED_PASS
    Then within 5 seconds the application's flag becomes READY_FOR_DECISION
    And the application has no approval blockers

  Scenario: A product with automatic approval is approved when its tasks pass
    Given an INDIVIDUAL profile
    When I add the product "forexo_instant" to the profile
    Then the JSON at "product.automatically_approve" equals true
    When I complete every task with COMPLETED_PASS
    Then within 5 seconds the application's status becomes APPROVED
    And the application's flag is DECIDED
    And the application's history is "APPLIED, APPROVED"

  Scenario: A rejection and its revert
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    And I reject the application
    Then the status is 200
    And the application is REJECTED with flag DECIDED
    When I revert the decision
    Then the status is 200
    And the application's status is APPLIED
    And the application's history after the revert is "APPLIED, REJECTED, APPLIED"

  Scenario: The smart policy rejects immediately when a task fails
    Given an INDIVIDUAL profile
    When I add the product "forexo_crypto" to the profile
    And I complete every task with COMPLETED_FAIL
    Then within 5 seconds the application's status becomes REJECTED
    And the application's flag is DECIDED

  Scenario: An approved application whose task becomes incomplete goes IN_REVIEW
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    And I complete the task "INDIVIDUAL_VERIFY_IDENTITY" with COMPLETED_PASS
    And I approve the application
    Then the status is 200
    When I reopen the task "INDIVIDUAL_VERIFY_IDENTITY"
    Then within 5 seconds the application's status becomes IN_REVIEW
    And the application has an "INCOMPLETE_TASK" approval blocker for "INDIVIDUAL_VERIFY_IDENTITY"
    And within 5 seconds the application's flag becomes REQUIRES_MANUAL_TASK_COMPLETION
    When I complete the task "INDIVIDUAL_VERIFY_IDENTITY" with COMPLETED_PASS
    Then the application's flag is READY_FOR_DECISION
    When I approve the application
    Then the status is 200
    And the application is APPROVED with flag DECIDED
    And the application's history is "APPLIED, APPROVED, IN_REVIEW, APPROVED"

  Scenario: An approved automatic product is approved again when its task passes again
    Given an INDIVIDUAL profile
    When I add the product "forexo_instant" to the profile
    And I complete every task with COMPLETED_PASS
    Then within 5 seconds the application's status becomes APPROVED
    When I reopen the task "INDIVIDUAL_VERIFY_BANK_ACCOUNT"
    Then the application's status is IN_REVIEW
    When I complete every task with COMPLETED_PASS
    Then within 5 seconds the application's status becomes APPROVED
    And the application's history is "APPLIED, APPROVED, IN_REVIEW, APPROVED"

  Scenario: An approved application is cancelled, and the cancellation reverted
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    And I complete every task with COMPLETED_PASS
    And I approve the application
    And I cancel the application
    Then the status is 200
    And the application is CANCELLED with flag DECIDED
    When I revert the decision
    Then the status is 200
    And the application's status is APPROVED
    And the application's history after the revert is "APPLIED, APPROVED, CANCELLED, APPROVED"

  Scenario: An application in review is cancelled, and the cancellation reverted
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    And I complete every task with COMPLETED_PASS
    And I approve the application
    And I reopen the task "INDIVIDUAL_VERIFY_IDENTITY"
    Then the application's status is IN_REVIEW
    When I cancel the application
    Then the status is 200
    And the application is CANCELLED with flag DECIDED
    When I revert the decision
    Then the application's status is IN_REVIEW
    And the application's history after the revert is "APPLIED, APPROVED, IN_REVIEW, CANCELLED, IN_REVIEW"

  Scenario: An approval is reverted to APPLIED
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    And I complete every task with COMPLETED_PASS
    And I approve the application
    And I revert the decision
    Then the status is 200
    And the application's status is APPLIED
    And the application's history after the revert is "APPLIED, APPROVED, APPLIED"

  Scenario: A re-approval after review is reverted to IN_REVIEW
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    And I complete every task with COMPLETED_PASS
    And I approve the application
    And I reopen the task "INDIVIDUAL_VERIFY_IDENTITY"
    And I complete every task with COMPLETED_PASS
    And I approve the application
    Then the application's status is APPROVED
    When I revert the decision
    Then the status is 200
    And the application's status is IN_REVIEW
