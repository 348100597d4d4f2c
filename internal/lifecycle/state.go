package lifecycle

// State is what the model needs to know about one application to derive its
// flag and decide on a status change. The mock fills it from its store; the
// checker derives it from a snapshot's status and approval_blockers.
type State struct {
	// Status is the application's current status.
	Status string
	// Automating: automation (risk model, smart policy, auto-run checks) is still running.
	Automating bool
	// RiskScoreMissing: the risk score cannot be computed for missing data
	// (approval blocker UNDETERMINED_RISK).
	RiskScoreMissing bool
	// DataMissing: the smart policy could not reach an outcome for missing data.
	DataMissing bool
	// CollectionStepsOpen: collection steps are outstanding.
	CollectionStepsOpen bool
	// ChecksRunning: checks are in progress.
	ChecksRunning bool
	// RecalculatingRisk: the risk score is being recalculated.
	RecalculatingRisk bool
	// Escalated: the policy escalated and the teams have not approved yet
	// (approval blocker WAITING_ON_ESCALATION).
	Escalated bool
	// NearingExpiry: a task of the application expires soon.
	NearingExpiry bool
	// IncompleteTasks counts incomplete required tasks (INCOMPLETE_TASK blockers).
	IncompleteTasks int
	// UnresolvedEvents counts unresolved profile events (UNRESOLVED_EVENT blockers).
	UnresolvedEvents int
	// OtherBlockers counts approval blockers of any other type (RISK_SCORE,
	// UNDETERMINED_OUTCOME, REJECTION_OUTCOME, ...).
	OtherBlockers int
	// Suspended: the profile is SUSPENDED or BANNED (approval blocker SUSPENDED_PROFILE).
	Suspended bool
	// EverApproved: the application was approved and the approval was not
	// reverted. APPROVED, IN_REVIEW and CANCELLED count as ever approved anyway.
	EverApproved bool
}

// condition is one predicate of the model's vocabulary (lifecycle.yaml `conditions`).
type condition func(m *Model, s *State) bool

// conditions is the fixed vocabulary; lifecycle.yaml must describe exactly these.
// It is a function, not a package variable, so nothing package-level is mutable.
func conditions() map[string]condition {
	return map[string]condition{
		"automating": func(m *Model, s *State) bool {
			return s.Automating && !m.terminal[s.Status]
		},
		"approved_and_nearing_expiry": func(m *Model, s *State) bool {
			return s.Status == statusApproved && s.NearingExpiry
		},
		"decided_and_nothing_outstanding": func(m *Model, s *State) bool {
			if m.terminal[s.Status] {
				return true
			}
			return m.decided[s.Status] && s.IncompleteTasks == 0 && s.UnresolvedEvents == 0
		},
		"risk_score_missing":    func(_ *Model, s *State) bool { return s.RiskScoreMissing },
		"recalculating_risk":    func(_ *Model, s *State) bool { return s.RecalculatingRisk },
		"data_missing":          func(_ *Model, s *State) bool { return s.DataMissing },
		"collection_steps_open": func(_ *Model, s *State) bool { return s.CollectionStepsOpen },
		"checks_running":        func(_ *Model, s *State) bool { return s.ChecksRunning },
		"tasks_or_events_outstanding": func(_ *Model, s *State) bool {
			return s.IncompleteTasks > 0 || s.UnresolvedEvents > 0
		},
		"escalated":    func(_ *Model, s *State) bool { return s.Escalated },
		"otherwise":    func(*Model, *State) bool { return true },
		"has_blockers": func(_ *Model, s *State) bool { return hasBlockers(s) },
		"no_blockers":  func(_ *Model, s *State) bool { return !hasBlockers(s) },
		"ever_approved": func(_ *Model, s *State) bool {
			return everApproved(s)
		},
		"never_approved": func(_ *Model, s *State) bool { return !everApproved(s) },
	}
}

// Status names the code needs to know besides the model's data: the
// conditions above are about them by definition.
const (
	statusApproved  = "APPROVED"
	statusInReview  = "IN_REVIEW"
	statusCancelled = "CANCELLED"
)

func hasBlockers(s *State) bool {
	return s.IncompleteTasks > 0 || s.UnresolvedEvents > 0 || s.OtherBlockers > 0 ||
		s.Suspended || s.Escalated || s.RiskScoreMissing
}

func everApproved(s *State) bool {
	switch s.Status {
	case statusApproved, statusInReview, statusCancelled:
		return true
	}
	return s.EverApproved
}

// Flag derives an application's flag: the first flag in precedence order
// whose condition holds. The last flag's condition is "otherwise", so there
// always is one.
func (m *Model) Flag(s State) string {
	for _, f := range m.flags {
		if f.cond(m, &s) {
			return f.name
		}
	}
	return m.flags[len(m.flags)-1].name
}
