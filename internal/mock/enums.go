package mock

// The mock stores enum values as small integers (compact profiles) and turns
// them into the contract's strings only when it renders JSON.

// Application statuses (ProductApplicationStatus).
const (
	statusApplied uint8 = iota
	statusApproved
	statusInReview
	statusRejected
	statusCancelled
)

var statusNames = [...]string{"APPLIED", "APPROVED", "IN_REVIEW", "REJECTED", "CANCELLED"}

func parseStatus(s string) (uint8, bool) { return index(statusNames[:], s) }

// Application flags (ProductApplicationFlag); the lifecycle model derives
// them, the mock only stores and renders them.
var flagNames = [...]string{
	"AUTOMATING", "DECIDED", "REQUIRES_RISK_SCORE", "REQUIRES_DATA", "WAITING_ON_COLLECTION_STEPS",
	"WAITING_ON_CHECKS", "REQUIRES_MANUAL_TASK_COMPLETION", "READY_FOR_DECISION", "RECALCULATING_RISK",
	"NEARING_EXPIRY", "WAITING_ON_ESCALATION",
}

func parseFlag(s string) (uint8, bool) { return index(flagNames[:], s) }

// Profile roles (ProfileRole).
const (
	roleIndividualCustomer uint8 = iota
	roleCompanyCustomer
	roleIndividualAssociated
	roleCompanyAssociated
)

var roleNames = [...]string{"INDIVIDUAL_CUSTOMER", "COMPANY_CUSTOMER", "INDIVIDUAL_ASSOCIATED", "COMPANY_ASSOCIATED"}

// entityNames are collected_data.entity_type's values, by index.
var entityNames = [...]string{"INDIVIDUAL", "COMPANY"}

func roleEntity(r uint8) string {
	if r == roleCompanyCustomer || r == roleCompanyAssociated {
		return "COMPANY"
	}
	return "INDIVIDUAL"
}

func roleIsAssociated(r uint8) bool {
	return r == roleIndividualAssociated || r == roleCompanyAssociated
}

// Profile statuses (ProfileStatus); 0 is NORMAL, the others suspend.
const profileNormal uint8 = 0

var profileStatusNames = [...]string{"NORMAL", "SUSPENDED", "BANNED"}

// Associated roles (AssociatedRole); 0 means none.
var associatedRoleNames = [...]string{
	"", "AUTHORIZED_PERSON", "UNAUTHORIZED_PERSON", "DIRECTOR", "COMPANY_SECRETARY", "SHAREHOLDER",
	"PARTNER", "TRUSTEE", "BENEFICIAL_OWNER", "RESIGNED_OFFICER", "OTHER",
}

// Task states (TaskState).
const (
	taskIncomplete uint8 = iota
	taskPassed
	taskFailed
)

var taskStateNames = [...]string{"INCOMPLETE", "COMPLETED_PASS", "COMPLETED_FAIL"}

// Event types (EventType) and resolutions (EventResolution).
var eventTypeNames = [...]string{
	"PEP_FLAG", "SANCTION_FLAG", "ADVERSE_MEDIA_FLAG", "REFER_FLAG", "DOCUMENT_EXPIRY",
	"TRANSACTION_ALERT", "REVIEW_NEEDED", "CHECK_EXPIRY", "FRAUD_FLAG",
}

const resolutionUnresolved uint8 = 0

var resolutionNames = [...]string{"UNRESOLVED", "MISMATCH", "MATCH", "IGNORE", "CREATED_TASK"}

// Approval blocker types the mock produces.
const (
	blockerIncompleteTask   = "INCOMPLETE_TASK"
	blockerUnresolvedEvent  = "UNRESOLVED_EVENT"
	blockerSuspendedProfile = "SUSPENDED_PROFILE"
	blockerUndeterminedRisk = "UNDETERMINED_RISK"
)

func index(names []string, s string) (uint8, bool) {
	for i, n := range names {
		if n == s && n != "" {
			return uint8(i), true
		}
	}
	return 0, false
}

func list(names []string) string {
	out := ""
	for _, n := range names {
		if n == "" {
			continue
		}
		if out != "" {
			out += ", "
		}
		out += n
	}
	return out
}
