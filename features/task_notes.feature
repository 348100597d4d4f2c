@tasks
Feature: Ad-hoc tasks and task notes
  Besides the tasks a product's smart policy creates, a task can be added to a
  profile by hand (a manual task). A profile has one open task of a type; an open
  task added this way is required by every open application of the profile. Notes
  record what was done on a task, with files attached, oldest first.

  @smoke @mutating
  Scenario: A manual task is added to a profile
    Given an INDIVIDUAL profile
    When I add the task "INDIVIDUAL_MANUAL_TASK" to the profile
    Then the status is 200
    And the JSON has:
      | path        | value                    |
      | type        | "INDIVIDUAL_MANUAL_TASK" |
      | state       | "INCOMPLETE"             |
      | is_complete | false                    |
    When I fetch the task
    Then the status is 200
    And the JSON at "type" equals "INDIVIDUAL_MANUAL_TASK"

  @lifecycle @mutating
  Scenario: A task added by hand blocks the profile's open applications
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    And I complete every task with COMPLETED_PASS
    Then within 5 seconds the application's flag becomes READY_FOR_DECISION
    When I add the task "INDIVIDUAL_MANUAL_TASK" to the profile
    Then the status is 200
    And the application has an "INCOMPLETE_TASK" approval blocker for "INDIVIDUAL_MANUAL_TASK"
    And the application's flag is REQUIRES_MANUAL_TASK_COMPLETION

  @negative @mutating
  Scenario: A task state outside the enum is refused with 201 INVALID_INPUT_DATA
    Given an INDIVIDUAL profile
    When I add the task "INDIVIDUAL_MANUAL_TASK" to the profile
    And I set the task's state to FINISHED
    Then the status is 400
    And the response is an error with code 201
    When I fetch the task
    Then the JSON at "state" equals "INCOMPLETE"

  @negative @mutating
  Scenario: A second open task of the same type is refused with 202 DATA_PRESENT
    Given an INDIVIDUAL profile
    When I add the task "INDIVIDUAL_MANUAL_TASK" to the profile
    And I add the task "INDIVIDUAL_MANUAL_TASK" to the profile
    Then the status is 409
    And the response is an error with code 202

  @negative @mutating
  Scenario: A company task on an individual's profile is refused with 201 INVALID_INPUT_DATA
    Given an INDIVIDUAL profile
    When I add the task "COMPANY_MANUAL_TASK" to the profile
    Then the status is 400
    And the response is an error with code 201

  @negative @mutating
  Scenario: A task without a type is refused with 101 MISSING_REQUIRED_FIELDS
    Given an INDIVIDUAL profile
    When I send a POST request to "/profiles/{{profile_id}}/tasks" with body:
      """
      {"is_complete": false}
      """
    Then the status is 400
    And the response is an error with code 101

  @mutating
  Scenario: Notes are added to a task, listed oldest first, and deleted
    Given an INDIVIDUAL profile
    When I add the task "INDIVIDUAL_MANUAL_TASK" to the profile
    And I add the note "Called the customer" to the task
    Then the status is 200
    And the JSON at "text" equals "Called the customer"
    And the JSON at "created_on" matches "^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"
    And the JSON at "author" equals null
    When I save the JSON at "id" as "first_note_id"
    And I add the note "Passport checked against the video call" to the task
    And I list the task's notes
    Then the status is 200
    And the JSON at "#.text" equals ["Called the customer", "Passport checked against the video call"]
    When I delete the note
    Then the status is 200
    And the JSON at "@this" equals {}
    When I list the task's notes
    Then the JSON at "#.id" equals ["{{first_note_id}}"]

  @mutating
  Scenario: A note carries the file attached to it
    Given an INDIVIDUAL profile
    When I add the task "INDIVIDUAL_MANUAL_TASK" to the profile
    And I upload the file "utility-bill.pdf"
    And I add the note "Utility bill attached" to the task with the file attached
    Then the status is 200
    And the JSON at "attachments.0.id" equals "{{file_id}}"
    And the JSON at "attachments.0.name" equals "utility-bill.pdf"

  @negative @mutating
  Scenario: A note that is gone is 404 to delete again
    Given an INDIVIDUAL profile
    When I add the task "INDIVIDUAL_MANUAL_TASK" to the profile
    And I add the note "Called the customer" to the task
    And I delete the note
    Then the status is 200
    When I delete the note
    Then the status is 404
    And the response is an error with code 201

  @negative @mutating
  Scenario: A note without text is refused with 101 MISSING_REQUIRED_FIELDS
    Given an INDIVIDUAL profile
    When I add the task "INDIVIDUAL_MANUAL_TASK" to the profile
    And I send a POST request to "/profiles/{{profile_id}}/tasks/{{task_id}}/notes" with body:
      """
      {"attachments": []}
      """
    Then the status is 400
    And the response is an error with code 101

  @negative @mutating
  Scenario: A note attaching a file the profile does not have is refused
    Given an INDIVIDUAL profile
    When I add the task "INDIVIDUAL_MANUAL_TASK" to the profile
    And I send a POST request to "/profiles/{{profile_id}}/tasks/{{task_id}}/notes" with body:
      """
      {"text": "See attachment", "attachments": [{"id": "9e0f1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b"}]}
      """
    Then the status is 400
    And the response is an error with code 201

  @negative @mutating
  Scenario: The notes of an unknown task are 404
    Given an INDIVIDUAL profile
    When I send a GET request to "/profiles/{{profile_id}}/tasks/{{unknown_id}}/notes"
    Then the status is 404
    And the response is an error with code 201

  @negative @mutating
  Scenario: Tasks of an unknown profile, and an unknown task, are 404
    Given an INDIVIDUAL profile
    When I send a GET request to "/profiles/{{unknown_id}}/tasks"
    Then the status is 404
    And the response is an error with code 201
    When I send a GET request to "/profiles/{{profile_id}}/tasks/{{unknown_id}}"
    Then the status is 404
    And the response is an error with code 201
    When I send a POST request to "/profiles/{{unknown_id}}/tasks" with body:
      """
      {"type": "INDIVIDUAL_MANUAL_TASK"}
      """
    Then the status is 404
    And the response is an error with code 201
