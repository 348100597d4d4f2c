@collected-data
Feature: A profile's collected data is replaced, never merged
  The collected data is what was gathered about the profile's individual or
  company. Posting it replaces it: fields left out are removed. Every read and
  every write names the version of the data in an ETag; send it back as If-Match
  and the write happens only if nobody changed the data since, otherwise the
  answer is 412 and nothing changes.

  @smoke @mutating
  Scenario: The collected data is read with its ETag
    Given an INDIVIDUAL profile named "Jane Doe"
    When I fetch the profile's collected data
    Then the status is 200
    And the JSON at "entity_type" equals "INDIVIDUAL"
    And the JSON at "personal_details.name.family_name" equals "Doe"
    And I save the header "ETag" as "read_etag"

  @mutating
  Scenario: Replacing the collected data removes what was left out
    Given an INDIVIDUAL profile named "Jane Doe"
    When I replace the profile's collected data with:
      """
      {"entity_type": "INDIVIDUAL", "personal_details": {"name": {"given_names": ["Ada"], "family_name": "Lovelace"}}}
      """
    Then the status is 200
    And the JSON at "personal_details.name.family_name" equals "Lovelace"
    And the JSON at "personal_details.dob" does not exist
    When I fetch the profile's collected data
    Then the JSON at "personal_details.name.given_names" equals ["Ada"]
    And the JSON at "personal_details.nationality" does not exist

  @mutating
  Scenario: A write as of the current ETag succeeds
    Given an INDIVIDUAL profile
    When I fetch the profile's collected data
    And I save the header "ETag" as "read_etag"
    And I replace the profile's collected data as of ETag "{{read_etag}}" with:
      """
      {"entity_type": "INDIVIDUAL", "personal_details": {"name": {"given_names": ["Grace"], "family_name": "Hopper"}}}
      """
    Then the status is 200
    And the JSON at "personal_details.name.family_name" equals "Hopper"
    And I save the header "ETag" as "new_etag"

  @negative @mutating
  Scenario: A write as of a stale ETag is refused with 412 and changes nothing
    Given an INDIVIDUAL profile
    When I fetch the profile's collected data
    And I save the header "ETag" as "read_etag"
    And I replace the profile's collected data with:
      """
      {"entity_type": "INDIVIDUAL", "personal_details": {"name": {"given_names": ["Grace"], "family_name": "Hopper"}}}
      """
    And I replace the profile's collected data as of ETag "{{read_etag}}" with:
      """
      {"entity_type": "INDIVIDUAL", "personal_details": {"name": {"given_names": ["Ada"], "family_name": "Lovelace"}}}
      """
    Then the status is 412
    And the response is an error with code 105
    And I save the header "ETag" as "current_etag"
    When I fetch the profile's collected data
    Then the JSON at "personal_details.name.family_name" equals "Hopper"

  @negative @mutating
  Scenario: Collected data without an entity_type is refused with 101 MISSING_REQUIRED_FIELDS
    Given an INDIVIDUAL profile
    When I replace the profile's collected data with:
      """
      {"personal_details": {"name": {"given_names": ["Ada"], "family_name": "Lovelace"}}}
      """
    Then the status is 400
    And the response is an error with code 101

  @negative @mutating
  Scenario: Company data on an individual's profile is refused with 201 INVALID_INPUT_DATA
    Given an INDIVIDUAL profile
    When I replace the profile's collected data with:
      """
      {"entity_type": "COMPANY", "metadata": {"country_of_incorporation": "GBR", "number": "09565115"}}
      """
    Then the status is 400
    And the response is an error with code 201

  @mutating
  Scenario: An undated current address is accepted
    Given an INDIVIDUAL profile
    When I replace the profile's collected data with:
      """
      {"entity_type": "INDIVIDUAL",
       "address_history": [{"address": {"type": "FREEFORM", "country": "GBR", "text": "10 Downing Street, London SW1A 2AA"}},
                           {"address": {"type": "STRUCTURED", "country": "GBR", "locality": "Bath"}, "start_date": "2015-04", "end_date": "2019-08"}]}
      """
    Then the status is 200
    When I fetch the profile's collected data
    Then the JSON at "address_history.#" equals 2
    And the JSON at "address_history.0.address.text" equals "10 Downing Street, London SW1A 2AA"
    And the JSON at "address_history.0.start_date" does not exist
    And the JSON at "address_history.1.end_date" equals "2019-08"

  @negative @mutating
  Scenario: An address with an end_date but no start_date is refused with 201 INVALID_INPUT_DATA
    Given an INDIVIDUAL profile
    When I replace the profile's collected data with:
      """
      {"entity_type": "INDIVIDUAL",
       "address_history": [{"address": {"type": "STRUCTURED", "country": "GBR"}, "end_date": "2019-08"}]}
      """
    Then the status is 400
    And the response is an error with code 201
    And the JSON at "errors.0.message" contains "start_date"

  @negative @mutating
  Scenario: The collected data of an unknown profile is 404
    When I send a GET request to "/profiles/a2c4393a-e219-67a4-5ab4-2186952e9038/collected_data"
    Then the status is 404
    And the response is an error with code 201
    When I send a POST request to "/profiles/a2c4393a-e219-67a4-5ab4-2186952e9038/collected_data" with body:
      """
      {"entity_type": "INDIVIDUAL"}
      """
    Then the status is 404
    And the response is an error with code 201

  @lifecycle @mutating
  Scenario: Outstanding collection steps hold an application back
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    And I replace the profile's collection steps with:
      """
      [{"collection_type": "DOB"}, {"collection_type": "DOCUMENT", "category": "PROOF_OF_IDENTITY", "allowed_types": ["PASSPORT", "DRIVING_LICENCE"]}]
      """
    Then the status is 200
    And the JSON at "#" equals 2
    And the JSON at "0.collection_type" equals "DOB"
    And within 5 seconds the application's flag becomes WAITING_ON_COLLECTION_STEPS
    When I fetch the profile
    Then the JSON at "has_collection_steps" equals true
    When I clear the profile's collection steps
    Then the status is 200
    And the JSON at "@this" equals []
    When I list the profile's collection steps
    Then the status is 200
    And the JSON at "@this" equals []
    And within 5 seconds the application's flag becomes REQUIRES_MANUAL_TASK_COMPLETION
    When I fetch the profile
    Then the JSON at "has_collection_steps" equals false

  @negative @mutating
  Scenario: A DOCUMENT collection step without its category is refused
    Given an INDIVIDUAL profile
    When I replace the profile's collection steps with:
      """
      [{"collection_type": "DOCUMENT", "allowed_types": ["PASSPORT"]}]
      """
    Then the status is 400
    And the response is an error with code 101

  @negative @mutating
  Scenario: The collection steps of an unknown profile are 404
    When I send a GET request to "/profiles/a2c4393a-e219-67a4-5ab4-2186952e9038/collection_steps"
    Then the status is 404
    And the response is an error with code 201
    When I send a POST request to "/profiles/a2c4393a-e219-67a4-5ab4-2186952e9038/collection_steps" with body:
      """
      [{"collection_type": "DOB"}]
      """
    Then the status is 404
    And the response is an error with code 201
