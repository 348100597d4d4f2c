@collection-keys
Feature: Data-collection keys let a form supply one profile's data
  A data-collection key is a short-lived API key that can only supply data for
  the profiles it was made for, for a client-side data-collection form.

  @smoke @mutating
  Scenario: A collection key is made for one profile
    Given an INDIVIDUAL profile
    When I create a data-collection key for the profile
    Then the status is 200
    And the JSON at "key" matches "^.+$"
    And the JSON at "expiry" matches "^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"

  @mutating
  Scenario: A collection key is made for several profiles
    Given an INDIVIDUAL profile
    And I save the JSON at "id" as "first_profile_id"
    And a COMPANY profile
    When I create a data-collection key for the profiles "{{first_profile_id}}, {{profile_id}}"
    Then the status is 200
    And the JSON at "key" matches "^.+$"

  @negative @mutating
  Scenario: A collection key for no profile is refused with 201 INVALID_INPUT_DATA
    When I create a data-collection key for the profiles ""
    Then the status is 400
    And the response is an error with code 201

  @negative @mutating
  Scenario: A collection key for a profile that does not exist is 404
    When I create a data-collection key for the profiles "a2c4393a-e219-67a4-5ab4-2186952e9038"
    Then the status is 404
    And the response is an error with code 201
    When I send a POST request to "/api_keys/collect/a2c4393a-e219-67a4-5ab4-2186952e9038" with body:
      """
      {}
      """
    Then the status is 404
    And the response is an error with code 201
