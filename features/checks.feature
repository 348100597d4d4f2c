@checks
Feature: Checks run on a profile's collected data
  PassFort runs checks (an identity check, a PEP and sanctions screen, a registry
  look-up) on what was collected about a profile. An identity check answers when
  it has its result; other checks answer at once and are followed until they are
  COMPLETE. Checks are immutable but for the tasks they count towards: to change
  an outcome, approve or reject the check by hand, and PassFort makes a new check
  with the manual outcome. Demo accounts simulate results from keywords in the
  profile's name ("FAIL" fails); the mock also stops a check with the error its
  name names ("CHECK_LIMIT_REACHED").

  @smoke @mutating @chargeable
  Scenario: An identity check answers with its result
    Given an INDIVIDUAL profile named "Jane Doe"
    When I run an IDENTITY_CHECK on the profile
    Then the status is 200
    And the JSON has:
      | path       | value            |
      | check_type | "IDENTITY_CHECK" |
      | state      | "COMPLETE"       |
      | errors     | []               |
    And the JSON at "id" matches "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
    And the check's decision is PASS

  @mutating @chargeable
  Scenario: A screening runs in the background until it is COMPLETE
    Given an INDIVIDUAL profile
    When I run a PEPS_AND_SANCTIONS_SCREEN on the profile
    Then the status is 200
    And the JSON at "state" matches "^(PENDING|RUNNING)$"
    And within 5 seconds the check is COMPLETE
    When I list the profile's checks
    Then the status is 200
    And the JSON at "#(id==\"{{check_id}}\").state" equals "COMPLETE"

  @mutating @chargeable
  Scenario: An identity check can be asked not to wait
    Given an INDIVIDUAL profile
    When I run an IDENTITY_CHECK on the profile asynchronously
    Then the status is 200
    And the JSON at "state" matches "^(PENDING|RUNNING)$"
    And within 5 seconds the check is COMPLETE

  @mutating @chargeable
  Scenario: A profile named with FAIL fails its identity check
    Given an INDIVIDUAL profile named "Jane FAIL Doe"
    When I run an IDENTITY_CHECK on the profile
    Then the status is 200
    And the check is COMPLETE
    And the check's decision is FAIL

  @mutating @chargeable
  Scenario: A check run outside PassFort is recorded with its result
    Given an INDIVIDUAL profile
    When I record a PEPS_AND_SANCTIONS_SCREEN run outside PassFort with the result "Pass"
    Then the status is 200
    And the JSON at "instructed_externally" equals true
    And the JSON at "result" equals "Pass"
    When I fetch the check
    Then the status is 200
    And the JSON at "id" equals "{{check_id}}"

  @mutating @chargeable
  Scenario: A check counts towards the task it is linked to
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    And I run an IDENTITY_CHECK on the profile
    And I link the check to the task "INDIVIDUAL_VERIFY_IDENTITY"
    Then the status is 200
    And the JSON at "task_ids" equals ["{{task_id}}"]
    When I fetch the check
    Then the JSON at "task_ids" equals ["{{task_id}}"]

  @mutating @chargeable
  Scenario: Approving a failed check by hand makes a new check that passed
    Given an INDIVIDUAL profile named "Jane FAIL Doe"
    When I run an IDENTITY_CHECK on the profile
    And I approve the check
    Then the status is 200
    And the JSON at "@this" equals {}
    And the profile has 2 checks
    When I list the profile's checks
    Then the JSON at "#(decision==\"PASS\").check_type" equals "IDENTITY_CHECK"
    And the JSON at "#(decision==\"FAIL\").id" equals "{{check_id}}"

  @mutating @chargeable
  Scenario: Rejecting a passed check by hand makes a new check that failed
    Given an INDIVIDUAL profile named "Jane Doe"
    When I run an IDENTITY_CHECK on the profile
    And I reject the check
    Then the status is 200
    And the JSON at "@this" equals {}
    And the profile has 2 checks
    When I list the profile's checks
    Then the JSON at "#(decision==\"FAIL\").check_type" equals "IDENTITY_CHECK"
    And the JSON at "#(decision==\"PASS\").id" equals "{{check_id}}"

  @negative @mutating
  Scenario: A check without a check_type is refused with 101 MISSING_REQUIRED_FIELDS
    Given an INDIVIDUAL profile
    When I send a POST request to "/profiles/{{profile_id}}/checks" with body:
      """
      {"task_ids": []}
      """
    Then the status is 400
    And the response is an error with code 101

  @negative @mutating
  Scenario: A result without instructed_externally is refused with 201 INVALID_INPUT_DATA
    Given an INDIVIDUAL profile
    When I send a POST request to "/profiles/{{profile_id}}/checks" with body:
      """
      {"check_type": "IDENTITY_CHECK", "result": "Pass"}
      """
    Then the status is 400
    And the response is an error with code 201

  @negative @mutating
  Scenario: A check on an unknown profile is 404
    When I send a POST request to "/profiles/a2c4393a-e219-67a4-5ab4-2186952e9038/checks" with body:
      """
      {"check_type": "IDENTITY_CHECK"}
      """
    Then the status is 404
    And the response is an error with code 201

  @negative
  Scenario: The checks of an unknown profile are 404
    Given an unknown profile
    When I list the profile's checks
    Then the status is 404
    And the response is an error with code 201

  @negative @mutating
  Scenario: An unknown check is 404 to read, link, approve and reject
    Given an INDIVIDUAL profile
    When I send a GET request to "/profiles/{{profile_id}}/checks/4e1f2a3b-5c6d-4e7f-8a9b-0c1d2e3f4a5b"
    Then the status is 404
    And the response is an error with code 201
    When I send a POST request to "/profiles/{{profile_id}}/checks/4e1f2a3b-5c6d-4e7f-8a9b-0c1d2e3f4a5b" with body:
      """
      {"task_ids": []}
      """
    Then the status is 404
    And the response is an error with code 201
    When I send a POST request to "/profiles/{{profile_id}}/checks/4e1f2a3b-5c6d-4e7f-8a9b-0c1d2e3f4a5b/approve" with body:
      """
      {}
      """
    Then the status is 404
    And the response is an error with code 201
    When I send a POST request to "/profiles/{{profile_id}}/checks/4e1f2a3b-5c6d-4e7f-8a9b-0c1d2e3f4a5b/reject" with body:
      """
      {}
      """
    Then the status is 404
    And the response is an error with code 201

  @negative @mutating @chargeable
  Scenario: Linking a check without task_ids is refused with 101 MISSING_REQUIRED_FIELDS
    Given an INDIVIDUAL profile
    When I run an IDENTITY_CHECK on the profile
    And I send a POST request to "/profiles/{{profile_id}}/checks/{{check_id}}" with body:
      """
      {}
      """
    Then the status is 400
    And the response is an error with code 101

  @negative @mutating @chargeable
  Scenario: Linking a check to a task the profile does not have is refused
    Given an INDIVIDUAL profile
    When I run an IDENTITY_CHECK on the profile
    And I send a POST request to "/profiles/{{profile_id}}/checks/{{check_id}}" with body:
      """
      {"task_ids": ["3d7a333c-418d-72a1-007b-06854dbb28eb"]}
      """
    Then the status is 400
    And the response is an error with code 201

  @negative @mutating @chargeable
  Scenario: A check still running cannot be approved or rejected by hand
    Given an INDIVIDUAL profile
    When I run a PEPS_AND_SANCTIONS_SCREEN on the profile asynchronously
    And I approve the check
    Then the status is 409
    And the response is an error with code 402
    When I reject the check
    Then the status is 409
    And the response is an error with code 402

  @mock-only @mutating @chargeable
  Scenario: A check that cannot run for the country is COMPLETE with decision ERROR
    Given an INDIVIDUAL profile
    When I replace the profile's collected data with:
      """
      {"entity_type": "INDIVIDUAL", "personal_details": {"name": {"given_names": ["Jane"], "family_name": "Doe"}, "dob": "1990-01-31", "nationality": "ZZZ"}}
      """
    And I run an IDENTITY_CHECK on the profile
    Then the status is 200
    And the JSON has:
      | path          | value      |
      | state         | "COMPLETE" |
      | decision      | "ERROR"    |
      | result        | "Error"    |
      | errors.0.code | 106        |

  @mock-only @mutating @chargeable
  Scenario Outline: A check the account or the provider stops is COMPLETE with decision ERROR and code <code>
    Given an INDIVIDUAL profile named "Jane <keyword> Doe"
    When I run an IDENTITY_CHECK on the profile
    Then the status is 200
    And the JSON has:
      | path            | value      |
      | state           | "COMPLETE" |
      | decision        | "ERROR"    |
      | result          | "Error"    |
      | errors.0.code   | <code>     |
      | errors.0.source | "<source>" |

    Examples:
      | keyword                   | code | source   |
      | CHARGEABLE_LIMIT_REACHED  | 104  | ENGINE   |
      | CHECK_LIMIT_REACHED       | 107  | ENGINE   |
      | PROVIDER_CONNECTION_ERROR | 302  | PROVIDER |
      | PROVIDER_UNKNOWN_ERROR    | 303  | PROVIDER |
