package mock

import "net/http"

// Task operations: tasks belong to the profile, one per task type (decision
// D13, docs/decisions.md).

func (s *Server) taskIndex(p *profile, c *call) (int, *apiError) {
	x, ok := parseID(c.m.sub)
	if ok {
		for i := range p.tasks {
			if p.tasks[i].id == x {
				return i, nil
			}
		}
	}
	return -1, notFound("Task not found: %s", c.m.sub)
}

// listTasks serves GET /profiles/{profile_id}/tasks.
func (s *Server) listTasks(c *call) (any, *apiError) {
	return s.view(c, func(p *profile) (any, *apiError) {
		out := make(tasksJSON, len(p.tasks))
		for i := range p.tasks {
			out[i] = s.renderTask(&p.tasks[i])
		}
		return out, nil
	})
}

// getTask serves GET /profiles/{profile_id}/tasks/{task_id}.
func (s *Server) getTask(c *call) (any, *apiError) {
	return s.view(c, func(p *profile) (any, *apiError) {
		i, e := s.taskIndex(p, c)
		if e != nil {
			return nil, e
		}
		out := s.renderTask(&p.tasks[i])
		return &out, nil
	})
}

// updateTask serves POST /profiles/{profile_id}/tasks/{task_id}: pass, fail or
// re-open the task; the applications that require it react.
func (s *Server) updateTask(c *call) (any, *apiError) {
	o, e := c.object()
	if e != nil {
		return nil, e
	}
	state, hasState, e := o.enum("", "state", taskStateNames[:])
	if e != nil {
		return nil, e
	}
	complete, hasComplete, e := o.boolean("", "is_complete")
	if e != nil {
		return nil, e
	}
	checks, hasChecks, e := o.ids("", "check_ids")
	if e != nil {
		return nil, e
	}
	switch {
	case !hasState && !hasComplete:
		return nil, &apiError{status: http.StatusBadRequest, code: codeMissingRequiredFields,
			message: "Missing required field: state or is_complete", fields: []string{"state", "is_complete"}}
	case hasState && hasComplete && (state != taskIncomplete) != complete:
		return nil, invalid("state %s and is_complete %t disagree", taskStateNames[state], complete)
	case !hasState && complete:
		state = taskPassed
	case !hasState:
		state = taskIncomplete
	}
	return s.moving(c, func(p *profile, t stamp) (any, *apiError) {
		i, e := s.taskIndex(p, c)
		if e != nil {
			return nil, e
		}
		if hasChecks {
			p.tasks[i].checkIDs = checks
		}
		s.setTaskState(p, i, state, t)
		out := s.renderTask(&p.tasks[i])
		return &out, nil
	})
}
