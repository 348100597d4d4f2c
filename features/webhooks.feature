@mock-only @lifecycle
Feature: Webhooks tell the institution about status changes
  PassFort POSTs PRODUCT_STATUS_CHANGED to the institution's webhook URL when a
  product application's status changes: the institution's systems follow the
  lifecycle without polling. The mock sends them to the harness, which checks
  each one against the contract (WebhookProductStatusChanged: one per change, in
  the order of the history, none for the creation) and against the application.

  @mutating
  Scenario: A manual decision sends PRODUCT_STATUS_CHANGED
    Given an INDIVIDUAL profile
    And the mock sends its webhooks to the harness
    When I add the product "forexo_basic" to the profile
    And I reject the application
    Then within 5 seconds a PRODUCT_STATUS_CHANGED webhook says the application is REJECTED
    And the application's webhooks follow its history

  @mutating
  Scenario: An automatic approval sends PRODUCT_STATUS_CHANGED too
    Given an INDIVIDUAL profile
    And the mock sends its webhooks to the harness
    When I add the product "forexo_instant" to the profile
    And I complete every task with COMPLETED_PASS
    Then within 5 seconds a PRODUCT_STATUS_CHANGED webhook says the application is APPROVED
    And the application's webhooks follow its history
