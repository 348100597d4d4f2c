@tags
Feature: Tags label profiles
  A profile is tagged by the tag's name: a tag of that name in the account is
  reused, otherwise one is made, and tagging a profile twice is no error. Taking a
  tag off a profile leaves it in the account, where tags are searched by any part
  of their name.

  @smoke @mutating
  Scenario: A profile is tagged by name
    Given an INDIVIDUAL profile
    When I tag the profile "vip"
    Then the status is 200
    And the JSON at "name" equals "vip"
    And the JSON at "is_automatic" equals false
    And the profile carries the tag "vip"

  @mutating
  Scenario: Tagging twice reuses the tag
    Given an INDIVIDUAL profile
    When I tag the profile "vip"
    And I save the JSON at "id" as "first_tag_id"
    And I tag the profile "VIP"
    Then the status is 200
    And the JSON at "id" equals "{{first_tag_id}}"
    When I fetch the profile
    Then the JSON at "tags" has 1 item

  @mutating
  Scenario: A tag taken off a profile stays in the account
    Given an INDIVIDUAL profile
    When I tag the profile "watch-list"
    And I remove the tag "watch-list" from the profile
    Then the status is 200
    And the JSON at "id" equals "{{tag_id}}"
    And the profile does not carry the tag "watch-list"
    When I search for tags containing "watch"
    Then the status is 200
    And the JSON at "#(name==\"watch-list\").id" equals "{{tag_id}}"

  @mutating
  Scenario: Tags are searched by any part of their name, ignoring case
    Given an INDIVIDUAL profile
    When I tag the profile "high-value"
    And I search for tags containing "VALUE"
    Then the status is 200
    And the JSON at "#(name==\"high-value\").id" equals "{{tag_id}}"

  Scenario: A search that matches nothing is an empty list
    When I search for tags containing "no-tag-has-this-name-8c1d2e3f"
    Then the status is 200
    And the JSON at "@this" equals []

  @negative
  Scenario: A tag search page larger than 200 is refused
    When I send a GET request to "/tags/search/vip?limit=201"
    Then the status is 400
    And the response is an error with code 201

  @negative @mutating
  Scenario: Removing a tag the profile does not carry is 404
    Given an INDIVIDUAL profile
    When I tag the profile "vip"
    And I remove the tag "vip" from the profile
    And I remove the tag "vip" from the profile
    Then the status is 404
    And the response is an error with code 201

  @negative @mutating
  Scenario: A tag without a name is refused with 101 MISSING_REQUIRED_FIELDS
    Given an INDIVIDUAL profile
    When I send a POST request to "/profiles/{{profile_id}}/tags" with body:
      """
      {}
      """
    Then the status is 400
    And the response is an error with code 101

  @negative @mutating
  Scenario: Tagging an unknown profile is 404
    When I send a POST request to "/profiles/a2c4393a-e219-67a4-5ab4-2186952e9038/tags" with body:
      """
      {"name": "vip"}
      """
    Then the status is 404
    And the response is an error with code 201
