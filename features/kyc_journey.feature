@kyc @lifecycle @mutating @chargeable
Feature: The KYC journey, from a new profile to a decision
  A new profile applies for a product; the product's smart policy creates the
  tasks to do. Checks run on what was collected: when a check completes, the
  tasks it serves move with its result, and the application follows the
  product's policy, waiting while checks run and then asking for a decision,
  approving or rejecting by itself. Each change is sent as a webhook, in the
  order it happens. Demo accounts simulate check results from keywords in the
  profile's name ("FAIL" fails).

  Background:
    Given the mock sends its webhooks to the harness

  Scenario: An identity check passes the task and the application waits for a decision
    Given an INDIVIDUAL profile named "Ada Lovelace"
    When I add the product "forexo_basic" to the profile
    Then within 5 seconds the application's flag becomes REQUIRES_MANUAL_TASK_COMPLETION
    When I run an IDENTITY_CHECK on the profile
    Then the status is 200
    And the check's decision is PASS
    And within 5 seconds the task "INDIVIDUAL_VERIFY_IDENTITY" is COMPLETED_PASS
    And the application has no approval blockers
    And the application's flag is READY_FOR_DECISION
    When I approve the application
    Then the status is 200
    And the application is APPROVED with flag DECIDED
    And within 5 seconds the profile's webhooks are, in order:
      | event                  | detail   |
      | CHECK_COMPLETED        | PASS     |
      | PRODUCT_STATUS_CHANGED | APPROVED |

  Scenario: A passing check approves an automatic-approval product by itself
    Given an INDIVIDUAL profile named "Ada Lovelace"
    When I add the product "forexo_instant" to the profile
    Then within 5 seconds the application's flag becomes REQUIRES_MANUAL_TASK_COMPLETION
    When I run a CRA_BANK_ACCOUNT_VERIFICATION on the profile
    Then the status is 200
    And the application's flag history includes WAITING_ON_CHECKS
    And within 5 seconds the application's status becomes APPROVED
    And the application's flag is DECIDED
    And within 5 seconds the task "INDIVIDUAL_VERIFY_BANK_ACCOUNT" is COMPLETED_PASS
    And within 5 seconds the profile's webhooks are, in order:
      | event                  | detail   |
      | CHECK_COMPLETED        | PASS     |
      | PRODUCT_STATUS_CHANGED | APPROVED |

  Scenario: A failing name fails the check and leaves the task to a user
    Given an INDIVIDUAL profile named "Ada FAIL Lovelace"
    When I add the product "forexo_basic" to the profile
    And I run an IDENTITY_CHECK on the profile
    Then the check's decision is FAIL
    And within 5 seconds the task "INDIVIDUAL_VERIFY_IDENTITY" is COMPLETED_FAIL
    And the application has an "INCOMPLETE_TASK" approval blocker
    And within 5 seconds the application's flag becomes REQUIRES_MANUAL_TASK_COMPLETION
    And within 5 seconds the profile's webhooks are, in order:
      | event                  | detail         |
      | CHECK_COMPLETED        | FAIL           |
      | MANUAL_ACTION_REQUIRED | COMPLETED_FAIL |

  Scenario: A failing name rejects an immediate-rejection product by itself
    Given an INDIVIDUAL profile named "Ada FAIL Lovelace"
    When I add the product "forexo_crypto" to the profile
    And I run a FRAUD_SCREENING on the profile
    Then within 5 seconds the application's status becomes REJECTED
    And the application's flag is DECIDED
    And within 5 seconds the task "INDIVIDUAL_FRAUD_SCREENING" is COMPLETED_FAIL
    And within 5 seconds the profile's webhooks are, in order:
      | event                  | detail   |
      | CHECK_COMPLETED        | FAIL     |
      | PRODUCT_STATUS_CHANGED | REJECTED |

  Scenario: Approving a failed check passes its task as a passing check would
    Given an INDIVIDUAL profile named "Ada FAIL Lovelace"
    When I add the product "forexo_basic" to the profile
    And I run an IDENTITY_CHECK on the profile
    Then within 5 seconds the task "INDIVIDUAL_VERIFY_IDENTITY" is COMPLETED_FAIL
    When I approve the check
    Then the status is 200
    And within 5 seconds the task "INDIVIDUAL_VERIFY_IDENTITY" is COMPLETED_PASS
    And within 5 seconds the application's flag becomes READY_FOR_DECISION
    And within 5 seconds the profile's webhooks are, in order:
      | event                  | detail         |
      | CHECK_COMPLETED        | FAIL           |
      | MANUAL_ACTION_REQUIRED | COMPLETED_FAIL |
      | CHECK_COMPLETED        | PASS           |

  Scenario: Rejecting a passed check fails its task as a failing check would
    Given an INDIVIDUAL profile named "Ada Lovelace"
    When I add the product "forexo_basic" to the profile
    And I run an IDENTITY_CHECK on the profile
    Then within 5 seconds the task "INDIVIDUAL_VERIFY_IDENTITY" is COMPLETED_PASS
    When I reject the check
    Then the status is 200
    And within 5 seconds the task "INDIVIDUAL_VERIFY_IDENTITY" is COMPLETED_FAIL
    And within 5 seconds the application's flag becomes REQUIRES_MANUAL_TASK_COMPLETION

  Scenario: Missing risk data holds the application until replaced data supplies it
    Given an INDIVIDUAL profile without risk data
    When I add the product "forexo_credit" to the profile
    Then within 5 seconds the application's flag becomes REQUIRES_RISK_SCORE
    And the application has an "UNDETERMINED_RISK" approval blocker
    When I replace the profile's collected data with:
      """
      {"entity_type": "INDIVIDUAL",
       "personal_details": {"name": {"given_names": ["Ada"], "family_name": "Lovelace"},
                            "dob": "1815-12-10", "nationality": "GBR"}}
      """
    Then the status is 200
    And within 5 seconds the application's flag becomes REQUIRES_MANUAL_TASK_COMPLETION
    And the application's flag history includes RECALCULATING_RISK
    When I complete the task "INDIVIDUAL_VERIFY_TAX_STATUS" with COMPLETED_PASS
    Then the application has no approval blockers
    And the application's flag is READY_FOR_DECISION
    When I approve the application
    Then the status is 200
    And within 5 seconds the profile's webhooks are, in order:
      | event                  | detail   |
      | PRODUCT_STATUS_CHANGED | APPROVED |

  Scenario: A company's checks pass its tasks and the application waits for a decision
    Given a COMPANY profile named "Forexo Trading Ltd"
    When I add the product "forexo_business" to the profile
    And I run a COMPANY_DATA on the profile
    And I run a COMPANY_OWNERSHIP on the profile
    And I run a COMPANY_PEPS_AND_SANCTIONS_SCREEN on the profile
    Then within 5 seconds the task "COMPANY_VERIFY_IDENTITY" is COMPLETED_PASS
    And within 5 seconds the task "COMPANY_IDENTIFY_OFFICERS" is COMPLETED_PASS
    And within 5 seconds the task "COMPANY_IDENTIFY_BENEFICIAL_OWNERS" is COMPLETED_PASS
    And within 5 seconds the task "COMPANY_ASSESS_SANCTIONS_EXPOSURE" is COMPLETED_PASS
    And within 5 seconds the application's flag becomes READY_FOR_DECISION
    And the application has no approval blockers
    When I approve the application
    Then the status is 200
    And within 5 seconds the profile's webhooks are, in order:
      | event                  | detail   |
      | CHECK_COMPLETED        | PASS     |
      | CHECK_COMPLETED        | PASS     |
      | CHECK_COMPLETED        | PASS     |
      | PRODUCT_STATUS_CHANGED | APPROVED |

  Scenario: A policy that needs the address waits for it, then an identity check passes the task
    Given an INDIVIDUAL profile named "Ada Lovelace"
    When I add the product "forexo_mortgage" to the profile
    Then within 5 seconds the application's flag becomes REQUIRES_DATA
    When I replace the profile's collected data with:
      """
      {"entity_type": "INDIVIDUAL",
       "personal_details": {"name": {"given_names": ["Ada"], "family_name": "Lovelace"}},
       "address_history": [{"address": {"type": "STRUCTURED", "country": "GBR"}, "start_date": "2020-01"}]}
      """
    Then the status is 200
    And within 5 seconds the application's flag becomes REQUIRES_MANUAL_TASK_COMPLETION
    When I run an IDENTITY_CHECK on the profile
    Then within 5 seconds the task "INDIVIDUAL_VERIFY_ADDRESS" is COMPLETED_PASS
    And within 5 seconds the application's flag becomes READY_FOR_DECISION
