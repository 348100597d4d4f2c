@negative @mutating
Feature: The variants of the operations beyond the lifecycle are answered as documented
  As for product applications, request variants are generated from the spec for
  checks, collected data, documents, notes, tags, collection steps, events in
  bulk, search and collection keys: every invalid one must be refused with the
  documented 4xx and the error envelope.

  @chargeable
  Scenario: Running a check refuses every invalid variant
    Given an INDIVIDUAL profile
    Then every invalid variant of "run a check on a profile" is rejected

  Scenario: Replacing the collected data refuses every invalid variant
    Given an INDIVIDUAL profile
    Then every invalid variant of "replace the collected data of a profile" is rejected

  Scenario: Uploading a document image refuses every invalid variant
    Given an INDIVIDUAL profile
    Then every invalid variant of "upload a document image" is rejected

  Scenario: Adding a document refuses every invalid variant
    Given an INDIVIDUAL profile
    When I upload a passport image
    Then every invalid variant of "add a document to the collected data" is rejected

  Scenario: Uploading a file refuses every invalid variant
    Given an INDIVIDUAL profile
    Then every invalid variant of "upload a file to a profile" is rejected

  Scenario: Adding a task refuses every invalid variant
    Given an INDIVIDUAL profile
    Then every invalid variant of "add a task to a profile" is rejected

  Scenario: Adding a note to a task refuses every invalid variant
    Given an INDIVIDUAL profile
    When I add the task "INDIVIDUAL_MANUAL_TASK" to the profile
    Then every invalid variant of "add a note to a task" is rejected

  Scenario: Tagging a profile refuses every invalid variant
    Given an INDIVIDUAL profile
    Then every invalid variant of "tag a profile" is rejected

  Scenario: Replacing the collection steps refuses every invalid variant
    Given an INDIVIDUAL profile
    Then every invalid variant of "replace the collection steps of a profile" is rejected

  Scenario: Resolving events in bulk refuses every invalid variant
    Given an INDIVIDUAL profile
    When an unresolved "PEP_FLAG" event is raised on the profile
    Then every invalid variant of "resolve several events of a profile at once" is rejected

  Scenario: Searching company registries refuses every invalid variant
    Then every invalid variant of "search company registries" is rejected

  Scenario: Finding and formatting addresses refuse every invalid variant
    Then every invalid variant of "find addresses from partial text" is rejected
    And every invalid variant of "format an address" is rejected

  Scenario: Creating collection keys refuses every invalid variant
    Given an INDIVIDUAL profile
    Then every invalid variant of "create a data-collection key for profiles" is rejected
    And every invalid variant of "create a data-collection key for one profile" is rejected
