@negative @mutating
Feature: Every variant the contract implies is answered as documented
  Request variants are generated from the spec, deterministically: for each
  operation, invalid ones (a missing required field, a wrong type, a value
  outside the enum, a bad format, a missing or wrong apikey, a wrong content
  type, malformed JSON, an unknown or malformed id, a body over 1 MiB) must be
  refused with the documented 4xx and error envelope, and valid ones (from the
  schema's examples and its minimal form) must be accepted.

  Scenario: Adding a product application refuses every invalid variant
    Given an INDIVIDUAL profile
    Then every invalid variant of "add a product application" is rejected

  Scenario: Creating a profile refuses every invalid variant
    Then every invalid variant of "create a profile" is rejected

  Scenario: Creating a profile accepts every valid variant
    Then every valid variant of "create a profile" is accepted

  Scenario: Searching profiles refuses bad pages and accepts good ones
    Then every invalid variant of "search profiles" is rejected
    And every valid variant of "search profiles" is accepted

  Scenario: Completing a task refuses every invalid variant
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    And I save the JSON at "required_tasks.0.id" as "task_id"
    Then every invalid variant of "mark a task as complete" is rejected

  Scenario: A status update refuses every invalid variant
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    Then every invalid variant of "update the status of a product application" is rejected

  Scenario: Reading a product application refuses unknown and malformed ids
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    Then every invalid variant of "get a product application" is rejected
    And every valid variant of "get a product application" is accepted

  Scenario: Raising a profile event refuses every invalid variant
    Given an INDIVIDUAL profile
    Then every invalid variant of "add an event to a profile" is rejected
