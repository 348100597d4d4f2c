@negative
Feature: Errors come with the documented status, code and envelope
  Every error is a non-2xx response with the body
  {"errors": [{"code": <PassFort code>, "message": "..."}]}.
  The contract check also validates every envelope below, whatever the steps say.

  @smoke
  Scenario: A request without an API key is refused with 203 MISSING_API_KEY
    When I send a GET request to "/whoami" without an API key
    Then the status is 401
    And the response is an error with code 203

  @smoke
  Scenario: A request with a wrong API key is refused with 204 INVALID_API_KEY
    When I send a GET request to "/whoami" with the API key "wrong-key-0000"
    Then the status is 401
    And the response is an error with code 204

  Scenario: Listing applications without an API key is refused
    When I send a GET request to "/profiles/a2c4393a-e219-67a4-5ab4-2186952e9038/applications" without an API key
    Then the status is 401
    And the response is an error with code 203

  @mutating
  Scenario: A product with neither alias nor id is refused with 101 MISSING_REQUIRED_FIELDS
    Given an INDIVIDUAL profile
    When I send a POST request to "/profiles/{{profile_id}}/applications" with body:
      """
      {"product": {}}
      """
    Then the status is 400
    And the response is an error with code 101

  @mutating
  Scenario: A body without a product is refused with 101 MISSING_REQUIRED_FIELDS
    Given an INDIVIDUAL profile
    When I send a POST request to "/profiles/{{profile_id}}/applications" with body:
      """
      {"associated_role": "DIRECTOR"}
      """
    Then the status is 400
    And the response is an error with code 101

  @mutating
  Scenario: An unknown product alias is refused with 201 INVALID_INPUT_DATA
    Given an INDIVIDUAL profile
    When I send a POST request to "/profiles/{{profile_id}}/applications" with body:
      """
      {"product": {"alias": "no_such_product"}}
      """
    Then the status is 400
    And the response is an error with code 201

  @mutating
  Scenario: An unknown product id is refused with 201 INVALID_INPUT_DATA
    Given an INDIVIDUAL profile
    When I send a POST request to "/profiles/{{profile_id}}/applications" with body:
      """
      {"product": {"id": "00000000-0000-0000-0000-000000000000"}}
      """
    Then the status is 400
    And the response is an error with code 201

  @mutating
  Scenario: An alias and an id that name different products are refused
    Given an INDIVIDUAL profile
    When I send a POST request to "/profiles/{{profile_id}}/applications" with body:
      """
      {"product": {"alias": "{{product.basic_individual.alias}}", "id": "00000000-0000-0000-0000-000000000000"}}
      """
    Then the status is 400
    And the response is an error with code 201

  @mutating
  Scenario: A product for an unknown profile is refused with 404
    When I send a POST request to "/profiles/a2c4393a-e219-67a4-5ab4-2186952e9038/applications" with body:
      """
      {"product": {"alias": "{{product.basic_individual.alias}}"}}
      """
    Then the status is 404
    And the response is an error with code 201

  Scenario: An unknown profile is 404
    Given an unknown profile
    When I fetch the profile
    Then the status is 404
    And the response is an error with code 201

  @mutating
  Scenario: An unknown application is 404
    Given an INDIVIDUAL profile
    When I send a GET request to "/profiles/{{profile_id}}/applications/edc23993-eb6a-9d89-bb79-5b8925b33224"
    Then the status is 404
    And the response is an error with code 201

  @mutating
  Scenario: Malformed JSON is refused with 201 INVALID_INPUT_DATA
    Given an INDIVIDUAL profile
    When I send a POST request to "/profiles/{{profile_id}}/applications" with body:
      """
      {"product": {"alias": "{{product.basic_individual.alias}}"
      """
    Then the status is 400
    And the response is an error with code 201

  @mutating
  Scenario: A product alias of the wrong type is refused
    Given an INDIVIDUAL profile
    When I send a POST request to "/profiles/{{profile_id}}/applications" with body:
      """
      {"product": {"alias": 42}}
      """
    Then the status is 400
    And the response is an error with code 201

  @mutating
  Scenario: A body that is not JSON is refused with 415
    Given an INDIVIDUAL profile
    When I send a POST request to "/profiles/{{profile_id}}/applications" with content type "text/plain" and body:
      """
      product={{product.basic_individual.alias}}
      """
    Then the status is 415
    And the response is an error with code 201

  @mutating
  Scenario: A profile without a role is refused with 101 MISSING_REQUIRED_FIELDS
    When I send a POST request to "/profiles" with body:
      """
      {"collected_data": {"entity_type": "INDIVIDUAL"}}
      """
    Then the status is 400
    And the response is an error with code 101
