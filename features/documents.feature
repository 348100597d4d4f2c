@documents
Feature: Documents, document images and files
  A document (a passport, a driving licence) is added to a profile's collected
  data from images uploaded before. Images travel inside JSON as data URIs or
  as plain base64; a list of images carries their metadata only, and one image
  read with full=true carries its content too, as a data URI in decrypted_data.
  Files (an attachment for a task note) are uploaded as base64 and read back with
  their id, their name and their content.

  @smoke @mutating
  Scenario: A passport is added from an uploaded image
    Given an INDIVIDUAL profile
    When I upload a passport image
    Then the status is 200
    And the JSON at "image_type" equals "FRONT"
    And the JSON at "decrypted_data" does not exist
    When I add the passport to the profile's collected data
    Then the status is 200
    And the JSON has:
      | path          | value                     |
      | category      | "PROOF_OF_IDENTITY"       |
      | document_type | "PASSPORT"                |
      | images.0.id   | "{{document_image_id}}"   |
    And the JSON at "id" matches "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"

  @mutating
  Scenario: Listed images carry no content; one image read in full does
    Given an INDIVIDUAL profile
    When I upload a driving licence image
    And I list the profile's document images
    Then the status is 200
    And the JSON at "#(id==\"{{document_image_id}}\").image_type" equals "FRONT"
    And the JSON at "#(id==\"{{document_image_id}}\").decrypted_data" does not exist
    When I fetch the document image
    Then the status is 200
    And the JSON at "id" equals "{{document_image_id}}"
    And the JSON at "decrypted_data" does not exist
    When I fetch the document image with its content
    Then the status is 200
    And the JSON at "decrypted_data" equals "{{document_image_data}}"
    And the JSON at "data" does not exist

  @mutating
  Scenario: An image sent as plain base64 is read back as a data URI of the same content
    Given an INDIVIDUAL profile
    When I upload a passport image as plain base64
    Then the status is 200
    And the JSON at "decrypted_data" does not exist
    When I fetch the document image with its content
    Then the status is 200
    And the JSON at "decrypted_data" equals "data:image/png;base64,{{document_image_data}}"

  @mutating
  Scenario: A face image is uploaded as FACE
    Given an INDIVIDUAL profile
    When I upload a face image
    Then the status is 200
    And the JSON at "image_type" equals "FACE"

  @mutating
  Scenario: An uploaded file is read back with its id, its name and its content
    Given an INDIVIDUAL profile
    When I upload the file "utility-bill.pdf"
    Then the status is 200
    And the JSON at "name" equals "utility-bill.pdf"
    And the JSON at "decrypted_data" does not exist
    When I fetch the file
    Then the status is 200
    And the JSON has:
      | path           | value                                      |
      | id             | "{{file_id}}"                              |
      | name           | "utility-bill.pdf"                         |
      | decrypted_data | "data:application/pdf;base64,{{file_data}}" |

  @negative @mutating
  Scenario: An image that is neither base64 nor a data URI is refused with 201 INVALID_INPUT_DATA
    Given an INDIVIDUAL profile
    When I send a POST request to "/profiles/{{profile_id}}/document_images" with body:
      """
      {"image_type": "FRONT", "data": "not an image!"}
      """
    Then the status is 400
    And the response is an error with code 201

  @negative @mutating
  Scenario: An image without data is refused with 101 MISSING_REQUIRED_FIELDS
    Given an INDIVIDUAL profile
    When I send a POST request to "/profiles/{{profile_id}}/document_images" with body:
      """
      {"image_type": "FRONT"}
      """
    Then the status is 400
    And the response is an error with code 101

  @negative @mutating
  Scenario: A document made of an image the profile does not have is refused
    Given an INDIVIDUAL profile
    When I send a POST request to "/profiles/{{profile_id}}/collected_data/documents" with body:
      """
      {"category": "PROOF_OF_IDENTITY", "document_type": "PASSPORT", "images": [{"id": "7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f"}]}
      """
    Then the status is 400
    And the response is an error with code 201

  @negative @mutating
  Scenario: A document without images is refused with 101 MISSING_REQUIRED_FIELDS
    Given an INDIVIDUAL profile
    When I send a POST request to "/profiles/{{profile_id}}/collected_data/documents" with body:
      """
      {"category": "PROOF_OF_IDENTITY", "document_type": "PASSPORT"}
      """
    Then the status is 400
    And the response is an error with code 101

  @negative @mutating
  Scenario: An unknown document image or file is 404
    Given an INDIVIDUAL profile
    When I send a GET request to "/profiles/{{profile_id}}/document_images/7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f"
    Then the status is 404
    And the response is an error with code 201
    When I send a GET request to "/profiles/{{profile_id}}/files/9e0f1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b"
    Then the status is 404
    And the response is an error with code 201

  @negative
  Scenario: The document images of an unknown profile are 404
    When I send a GET request to "/profiles/a2c4393a-e219-67a4-5ab4-2186952e9038/document_images"
    Then the status is 404
    And the response is an error with code 201

  @negative @mutating
  Scenario: full that is not a boolean is refused with 201 INVALID_INPUT_DATA
    Given an INDIVIDUAL profile
    When I upload a passport image
    And I send a GET request to "/profiles/{{profile_id}}/document_images/{{document_image_id}}?full=maybe"
    Then the status is 400
    And the response is an error with code 201

  @negative @mutating
  Scenario: A file that is not base64 is refused with 201 INVALID_INPUT_DATA
    Given an INDIVIDUAL profile
    When I send a POST request to "/profiles/{{profile_id}}/files" with body:
      """
      {"name": "notes.txt", "data": "not base64!"}
      """
    Then the status is 400
    And the response is an error with code 201

  @negative @mutating
  Scenario: An upload to an unknown profile is 404
    When I send a POST request to "/profiles/a2c4393a-e219-67a4-5ab4-2186952e9038/files" with body:
      """
      {"name": "utility-bill.pdf", "data": "JVBERi0xLjQK"}
      """
    Then the status is 404
    And the response is an error with code 201
    When I send a POST request to "/profiles/a2c4393a-e219-67a4-5ab4-2186952e9038/document_images" with body:
      """
      {"image_type": "FRONT", "data": "data:image/png;base64,iVBORw0KGgo="}
      """
    Then the status is 404
    And the response is an error with code 201
