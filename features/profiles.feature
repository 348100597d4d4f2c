@profiles
Feature: Profiles and the API key
  The API key is checked with GET /whoami; profiles are created, searched and
  fetched.

  @smoke
  Scenario: whoami names the institution behind the API key
    When I ask who I am
    Then the status is 200
    And the JSON at "institution.id" exists
    And the JSON at "institution.name" exists

  @mutating
  Scenario: A created profile can be fetched
    Given an INDIVIDUAL profile named "Jane Doe"
    When I fetch the profile
    Then the status is 200
    And the JSON at "id" equals "{{profile_id}}"
    And the JSON at "role" equals "INDIVIDUAL_CUSTOMER"
    And the JSON at "collected_data.personal_details.name.family_name" equals "Doe"
    And the JSON at "creation_date" matches "^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"

  @mutating
  Scenario: Profiles are searched by name
    Given an INDIVIDUAL profile named "Zebedee Quixote"
    When I search the profiles for "quixote"
    Then the status is 200
    And the JSON at "limit" equals 50
    And the JSON at "offset" equals 0
    And the JSON at "results.#(id==\"{{profile_id}}\").id" equals "{{profile_id}}"

  Scenario: A page larger than 200 profiles is refused
    When I send a GET request to "/profiles?limit=201"
    Then the status is 400
    And the response is an error with code 201

  Scenario: A page of at most 200 profiles is allowed
    When I send a GET request to "/profiles?limit=200&offset=0"
    Then the status is 200
    And the JSON at "limit" equals 200

  @mutating
  Scenario: A profile's tasks are listed
    Given an INDIVIDUAL profile
    When I add the product "forexo_plus" to the profile
    And I list the profile's tasks
    Then the status is 200
    And the JSON at "#(type==\"INDIVIDUAL_VERIFY_ADDRESS\").state" equals "INCOMPLETE"

  @mutating
  Scenario: Profiles are listed by category
    Given an INDIVIDUAL profile named "Ottoline Categoria"
    When I add the product "forexo_basic" to the profile
    And I complete the task "INDIVIDUAL_VERIFY_IDENTITY" with COMPLETED_PASS
    And I approve the application
    Then the application's status is APPROVED
    When I search the CUSTOMER profiles for "categoria"
    Then the status is 200
    And the JSON at "results.#(id==\"{{profile_id}}\").category" equals "CUSTOMER"
    When I search the APPLICANT, PREVIOUS_CUSTOMER and INACTIVE_APPLICANT profiles for "categoria"
    Then the status is 200
    And the JSON at "results.#(id==\"{{profile_id}}\").id" does not exist
    When I list the CUSTOMER profiles
    Then the status is 200
    And the JSON at "results.#.category" contains "CUSTOMER"
    And the JSON at "results.#.category" does not contain "APPLICANT"

  @negative
  Scenario: The applications of an unknown profile are 404
    Given an unknown profile
    When I list the profile's applications
    Then the status is 404
    And the response is an error with code 201
