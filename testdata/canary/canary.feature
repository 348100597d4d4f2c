# Used by `make leak-canary`: a run whose key is known and whose failing step
# spells it out. The run is expected to fail; the key must appear nowhere.
Feature: leak canary
  Scenario: a failing step that spells the key out
    When I send a GET request to "/whoami" with the API key "canary-KEY/0f+e=9"
    Then the JSON at "institution.name" equals "canary-KEY/0f+e=9"

  @mutating
  Scenario: a normal write with the key in the header
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    Then the status is 200
