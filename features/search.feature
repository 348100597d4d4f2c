@search
Feature: Company and address search, before a profile is created
  A company is looked up in the registries PassFort connects to by its
  registration number, its name, or text matched against both; the country is
  always given. An address is found from what a user typed and formatted into the
  structured address address_history takes.

  @smoke
  Scenario: A company is found by its registration number
    When I search for companies in GBR numbered 09565115
    Then the status is 200
    And the JSON at "companies.#(number==\"09565115\").country" equals "GBR"
    And the JSON at "companies.#(number==\"09565115\").name" exists

  @mock-only
  Scenario: A company is found by text in its name
    When I search for companies in GBR matching "Forexo"
    Then the status is 200
    And the JSON at "companies.0.name" matches "(?i)forexo"
    And the JSON at "companies.0.country" equals "GBR"

  @mock-only
  Scenario: Older clients search by name
    When I search for companies in GBR named "Forexo"
    Then the status is 200
    And the JSON at "companies.0.name" matches "(?i)forexo"

  Scenario: A number no company has finds none
    When I search for companies in GBR numbered 00000000
    Then the status is 200
    And the JSON at "companies" equals []

  Scenario: A company search without search text finds nothing
    When I send a GET request to "/search/companies?country=GBR"
    Then the status is 200
    And the JSON at "companies" equals []

  @negative
  Scenario: A company search without a country is refused with 101
    When I send a GET request to "/search/companies?number=09565115"
    Then the status is 400
    And the response is an error with code 101

  @mock-only
  Scenario: A registry that cannot be searched is reported inside the 200
    When I search for companies in ZZZ numbered 09565115
    Then the status is 200
    And the JSON at "companies" equals []
    And the JSON at "errors.0.code" equals 106

  @negative
  Scenario: A company search in a country that is not alpha-3 is refused with 201
    When I send a GET request to "/search/companies?country=GB&number=09565115"
    Then the status is 400
    And the response is an error with code 201

  @smoke
  Scenario: An address found from partial text is formatted for the address history
    When I look up addresses in GBR for "10 Downing"
    Then the status is 200
    And the JSON at "count" matches "^[1-9][0-9]*$"
    And the JSON at "results.0.text" matches "^10 Downing"
    When I format the address found
    Then the status is 200
    And the JSON has:
      | path    | value        |
      | type    | "STRUCTURED" |
      | country | "GBR"        |
    And the JSON at "route" matches "Downing"

  @negative
  Scenario: An address search without the country is refused with 101
    When I send a GET request to "/address/search?address=10%20Downing"
    Then the status is 400
    And the response is an error with code 101

  @negative
  Scenario: An address search for more than 200 results is refused with 201
    When I send a GET request to "/address/search?address=10%20Downing&country_code=GBR&limit=201"
    Then the status is 400
    And the response is an error with code 201

  @negative
  Scenario: Formatting an address no search found is 404
    When I send a GET request to "/address/format?id=GB%7CRM%7CA%7C00000000&country_code=GBR"
    Then the status is 404
    And the response is an error with code 201

  @negative
  Scenario: Formatting an address without its id is refused with 101
    When I send a GET request to "/address/format?country_code=GBR"
    Then the status is 400
    And the response is an error with code 101
