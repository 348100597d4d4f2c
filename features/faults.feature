@mock-only @negative
Feature: Faults are reported as clear, classified failures
  The mock misbehaves on purpose (its admin endpoint /__mock/faults, or the
  -fault flags of cmd/passfort-mock) and the harness must say what happened,
  in time, in the right class: an infrastructure failure (the target could
  not answer: timeout, refused, retries exhausted, truncated body) is never
  reported as a contract break, and an answer the contract does not allow
  (an undocumented 500) is never reported as an infrastructure failure.
  Injected faults are expected: they are reported and fail nothing.

  @mutating
  Scenario: An undocumented 500 is a contract finding, not an infrastructure failure
    Given an INDIVIDUAL profile
    And the mock answers 500 to "GET /profiles/{profile_id}"
    When I send a GET request to "/profiles/{{profile_id}}" expecting contract findings
    Then the status is 500
    And the response is an error with code 401
    And a contract finding "undocumented-status" at "" was seen
    And there are no infrastructure findings

  @mutating
  Scenario: A 503 that persists past the retry budget is reported as retries-exhausted
    Given an INDIVIDUAL profile
    And the mock answers 503 to "GET /profiles/{profile_id}" with a retry after 0.1 seconds
    When I send a GET request to "/profiles/{{profile_id}}" that may fail
    Then the request failed as "retries-exhausted" within 5 seconds
    And the request was tried 4 times
    And there are no contract findings

  @mutating
  Scenario: A brief 503 with a retry header is retried and the request succeeds
    Given an INDIVIDUAL profile
    And the mock answers 503 to "GET /profiles/{profile_id}" 2 times with a retry after 0.1 seconds
    When I fetch the profile
    Then the status is 200
    And the request was tried 3 times
    And there are no infrastructure findings

  @mutating
  Scenario: PassFort's rate limit sends its headers, and a spent budget ends as retries-exhausted at once
    Given the mock enforces a rate limit of 2 profiles an hour with no burst
    When I send a POST request to "/profiles" with body:
      """
      {"role": "INDIVIDUAL_CUSTOMER", "collected_data": {"entity_type": "INDIVIDUAL"}}
      """
    Then the status is 200
    And the header "X-RateLimit-Remaining" is "0"
    And the header "X-RateLimit-Reset-Secs" is "1800"
    When I send a POST request to "/profiles" that may fail, with body:
      """
      {"role": "INDIVIDUAL_CUSTOMER", "collected_data": {"entity_type": "INDIVIDUAL"}}
      """
    Then the request failed as "retries-exhausted" within 5 seconds
    And the request was tried 1 time
    And the header "X-RateLimit-Remaining" is "0"

  @mutating
  Scenario: A body cut short of its Content-Length is reported as truncated-body
    Given an INDIVIDUAL profile
    And the mock truncates the body of "GET /profiles/{profile_id}"
    When I send a GET request to "/profiles/{{profile_id}}" that may fail
    Then the request failed as "truncated-body" within 5 seconds
    And there are no contract findings

  @mutating
  Scenario: A slow answer within the timeout is late but whole
    Given an INDIVIDUAL profile
    And the mock delays "GET /profiles/{profile_id}" by 0.5 seconds
    When I fetch the profile
    Then the status is 200
    And the request took at least 0.5 seconds
    And there are no infrastructure findings

  @mutating
  Scenario: A body sent in slow chunks arrives whole
    Given an INDIVIDUAL profile
    And the mock sends the body of "GET /profiles/{profile_id}" in chunks of 200 bytes, 10 milliseconds apart
    When I fetch the profile
    Then the status is 200
    And the JSON at "id" equals "{{profile_id}}"
    And the request took at least 0.02 seconds

  @mutating
  Scenario: Faults apply to their route only, and can be removed
    Given an INDIVIDUAL profile
    And the mock injects the faults:
      """
      GET /profiles/{profile_id}/applications: status=503
      POST /whoami: drop
      """
    When I fetch the profile
    Then the status is 200
    Given the mock has no faults
    When I list the profile's applications
    Then the status is 200
  @mutating
  Scenario: An answer later than the request's timeout is reported as a timeout
    Given an INDIVIDUAL profile
    And the mock delays "GET /profiles/{profile_id}" by 3 seconds
    When I send a GET request to "/profiles/{{profile_id}}" that may fail, waiting at most 1 second
    Then the request failed as "timeout" within 2 seconds
    And there are no contract findings

  @mutating
  Scenario: A body that comes too slowly is reported as a timeout
    Given an INDIVIDUAL profile
    And the mock sends the body of "GET /profiles/{profile_id}" in chunks of 100 bytes, 500 milliseconds apart
    When I send a GET request to "/profiles/{{profile_id}}" that may fail, waiting at most 1 second
    Then the request failed as "timeout" within 3 seconds

  @mutating
  Scenario: A connection dropped without an answer is reported as refused
    Given an INDIVIDUAL profile
    And the mock drops the connection on "GET /profiles/{profile_id}"
    When I send a GET request to "/profiles/{{profile_id}}" that may fail
    Then the request failed as "refused" within 5 seconds
    And the request was tried 1 time
    And there are no contract findings
