@audit
Feature: A profile's audit trail says what was done to it and by whom
  Every change to a profile is recorded, oldest first, with the action, when it
  happened (Unix seconds) and who acted: a portal user, or the API key.

  @smoke @mutating
  Scenario: The audit trail records the profile's creation and what followed
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    And I tag the profile "vip"
    Then the profile's audit trail records "created-profile, added-product, added-a-tag"

  @mutating
  Scenario: An API key's actions name the key, not a user
    Given an INDIVIDUAL profile
    When I send a GET request to "/profiles/{{profile_id}}/audit-items"
    Then the status is 200
    And the JSON has:
      | path             | value               |
      | 0.action         | "created-profile"   |
      | 0.profileID      | "{{profile_id}}"    |
      | 0.user           | null                |
    And the JSON at "0.apikey.name" exists
    And the JSON at "0.timestamp" matches "^\d+(\.\d+)?$"

  @mutating
  Scenario: A manual decision is in the audit trail
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    And I complete every task with COMPLETED_PASS
    And I approve the application
    Then the status is 200
    And the profile's audit trail records "created-profile, added-product, manual-decision"

  @negative
  Scenario: The audit trail of an unknown profile is 404
    When I send a GET request to "/profiles/{{unknown_id}}/audit-items"
    Then the status is 404
    And the response is an error with code 201
