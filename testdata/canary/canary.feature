# Used by `make leak-canary`: a run whose key is known and whose failing step
# spells it out, and a PASSFORT_SECRETS value a request and a step spell out.
# The run is expected to fail; neither may appear anywhere.
Feature: leak canary
  Scenario: a failing step that spells the key out
    When I send a GET request to "/whoami" with the API key "canary-KEY/0f+e=9"
    Then the JSON at "institution.name" equals "canary-KEY/0f+e=9"

  @mutating
  Scenario: a failing step that spells another secret out
    When I send a POST request to "/profiles" with body:
      """
      {"role": "INDIVIDUAL_CUSTOMER", "collected_data": {"entity_type": "INDIVIDUAL", "customer_ref": "canary-OTHER/7c+d=2"}}
      """
    Then the JSON at "collected_data.customer_ref" equals "not canary-OTHER/7c+d=2"

  @mutating
  Scenario: a normal write with the key in the header
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    Then the status is 200

  # A name that spells the key out (go test -v subtest names, the cassette).
  Scenario: the key canary-KEY/0f+e=9 in a scenario name
    When I send a GET request to "/whoami"
    Then the status is 200

  # Examples cells that spell the key and the other secret out, and nothing
  # else does: the outline's names and its steps' texts are substituted from
  # them (a step that is sent, one that fails, one no definition matches).
  Scenario Outline: an examples cell spells <token> out
    When I send a GET request to "/whoami" with the API key "<key>"
    Then the status is 200
    And the JSON at "institution.name" equals "<token>"

    Examples:
      | token               | key               |
      | canary-KEY/0f+e=9   | canary-KEY/0f+e=9 |
      | canary-OTHER/7c+d=2 | canary-KEY/0f+e=9 |

  Scenario Outline: an undefined step spells <token> out
    When I send a GET request to "/whoami"
    Then the magic word is "<token>"

    Examples:
      | token               |
      | canary-KEY/0f+e=9   |
      | canary-OTHER/7c+d=2 |
