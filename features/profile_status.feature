@profiles
Feature: A profile's status, and deleting a profile
  A profile is NORMAL, SUSPENDED or BANNED, read and set as a bare JSON string.
  Deleting a profile needs its id confirmed in the body; a deleted profile is
  gone.

  @mutating
  Scenario: A suspended profile reads SUSPENDED, and NORMAL once restored
    Given an INDIVIDUAL profile
    Then the profile's status is NORMAL
    When I suspend the profile
    Then the profile's status is SUSPENDED
    When I restore the profile
    Then the profile's status is NORMAL

  @negative @mutating
  Scenario: A status outside NORMAL, SUSPENDED and BANNED is refused
    Given an INDIVIDUAL profile
    When I send a POST request to "/profiles/{{profile_id}}/status" with body:
      """
      "ASLEEP"
      """
    Then the status is 400
    And the response is an error with code 201

  @negative
  Scenario: The status of an unknown profile is 404
    When I send a GET request to "/profiles/a2c4393a-e219-67a4-5ab4-2186952e9038/status"
    Then the status is 404
    And the response is an error with code 201

  @mutating
  Scenario: A deleted profile is gone
    Given an INDIVIDUAL profile
    When I delete the profile
    Then the status is 200
    And the JSON at "@this" equals {}
    When I fetch the profile
    Then the status is 404
    And the response is an error with code 201

  @negative @mutating
  Scenario: Deleting a profile with another profile's id in confirm_id is refused
    Given an INDIVIDUAL profile
    When I send a POST request to "/profiles/{{profile_id}}/delete" with body:
      """
      {"confirm_id": "a2c4393a-e219-67a4-5ab4-2186952e9038"}
      """
    Then the status is 400
    And the response is an error with code 201
    When I fetch the profile
    Then the status is 200
