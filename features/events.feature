@events
Feature: Profile events are read and resolved, one at a time or in bulk
  Monitoring raises events on a profile (a PEP or sanctions hit); an unresolved
  event blocks approval. Events are listed and read one by one, and several are
  resolved in one call, all or nothing.

  @mutating
  Scenario: A raised event is listed and read
    Given an INDIVIDUAL profile
    When an unresolved "PEP_FLAG" event is raised on the profile
    And I list the profile's events
    Then the status is 200
    And the JSON at "#(id==\"{{event_id}}\").data.event_type" equals "PEP_FLAG"
    When I fetch the event
    Then the status is 200
    And the JSON at "id" equals "{{event_id}}"

  @lifecycle @mutating
  Scenario: Resolving every open event in one call unblocks the application
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    And I complete every task with COMPLETED_PASS
    And an unresolved "PEP_FLAG" event is raised on the profile
    And an unresolved "SANCTION_FLAG" event is raised on the profile
    Then the application has 2 approval blockers
    When I resolve every open event as MISMATCH in one call
    Then the status is 200
    And the JSON at "#" equals 2
    And the JSON at "#.resolution" equals ["MISMATCH", "MISMATCH"]
    And the application has no approval blockers
    And within 5 seconds the application's flag becomes READY_FOR_DECISION

  @negative @mutating
  Scenario: A bulk update naming an event of no profile changes nothing
    Given an INDIVIDUAL profile
    When an unresolved "PEP_FLAG" event is raised on the profile
    And I send a POST request to "/profiles/{{profile_id}}/events/bulk_update" with body:
      """
      [{"id": "{{event_id}}", "resolution": "MISMATCH"}, {"id": "9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", "resolution": "MISMATCH"}]
      """
    Then the status is 404
    And the response is an error with code 201
    When I fetch the event
    Then the JSON at "resolution" equals "UNRESOLVED"

  @negative @mutating
  Scenario: An empty bulk update is refused with 201 INVALID_INPUT_DATA
    Given an INDIVIDUAL profile
    When I send a POST request to "/profiles/{{profile_id}}/events/bulk_update" with body:
      """
      []
      """
    Then the status is 400
    And the response is an error with code 201

  @negative @mutating
  Scenario: A bulk update item without a resolution is refused with 101 MISSING_REQUIRED_FIELDS
    Given an INDIVIDUAL profile
    When an unresolved "PEP_FLAG" event is raised on the profile
    And I send a POST request to "/profiles/{{profile_id}}/events/bulk_update" with body:
      """
      [{"id": "{{event_id}}"}]
      """
    Then the status is 400
    And the response is an error with code 101

  @negative @mutating
  Scenario: Events of an unknown profile, and an unknown event, are 404
    Given an INDIVIDUAL profile
    When I send a GET request to "/profiles/{{unknown_id}}/events"
    Then the status is 404
    And the response is an error with code 201
    When I send a GET request to "/profiles/{{profile_id}}/events/{{unknown_id}}"
    Then the status is 404
    And the response is an error with code 201
    When I send a POST request to "/profiles/{{profile_id}}/events/{{unknown_id}}" with body:
      """
      {"resolution": "MISMATCH"}
      """
    Then the status is 404
    And the response is an error with code 201

  @negative @mutating
  Scenario: A resolution outside the enum is refused with 201 INVALID_INPUT_DATA
    Given an INDIVIDUAL profile
    When an unresolved "PEP_FLAG" event is raised on the profile
    And I send a POST request to "/profiles/{{profile_id}}/events/{{event_id}}" with body:
      """
      {"resolution": "SHRUG"}
      """
    Then the status is 400
    And the response is an error with code 201

  @negative @mutating
  Scenario: An event raised on an unknown profile is refused with 404
    Given an unknown profile
    When I raise a "PEP_FLAG" event on the profile
    Then the status is 404
    And the response is an error with code 201
