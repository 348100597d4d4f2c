package mock

// Task notes and ad-hoc tasks (decision D42, docs/decisions.md).

type noteJSON struct {
	ID                   string     `json:"id"`
	CreatedOn            string     `json:"created_on"`
	AuthorName           string     `json:"author_name"`
	AuthorNameCustomised bool       `json:"author_name_customised"`
	Author               *struct{}  `json:"author"`
	Text                 string     `json:"text"`
	Attachments          []fileJSON `json:"attachments"`
}

func renderNote(p *profile, n *note) noteJSON {
	out := noteJSON{ID: n.id.String(), CreatedOn: dateTime(n.at), AuthorName: mockKeyName, Text: n.text,
		Attachments: make([]fileJSON, 0, len(n.attachments))}
	for _, a := range n.attachments {
		for i := range p.files {
			if f := &p.files[i]; f.id == a {
				out.Attachments = append(out.Attachments, fileJSON{ID: f.id.String(), Name: f.name})
			}
		}
	}
	return out
}

// listNotes serves GET /profiles/{profile_id}/tasks/{task_id}/notes.
func (s *Server) listNotes(c *call) (any, *apiError) {
	return s.view(c, func(p *profile) (any, *apiError) {
		i, e := s.taskIndex(p, c)
		if e != nil {
			return nil, e
		}
		t := &p.tasks[i]
		out := make([]noteJSON, len(t.notes))
		for j := range t.notes {
			out[j] = renderNote(p, &t.notes[j])
		}
		return out, nil
	})
}

// addNote serves POST /profiles/{profile_id}/tasks/{task_id}/notes.
func (s *Server) addNote(c *call) (any, *apiError) {
	o, e := c.object()
	if e != nil {
		return nil, e
	}
	text, e := o.required("", "text")
	if e != nil {
		return nil, e
	}
	if text == "" {
		return nil, invalid("text: got an empty string, want the note's text")
	}
	refs, e := idRefs(o, "attachments")
	if e != nil {
		return nil, e
	}
	return s.change(c, func(p *profile, t stamp) (any, *apiError) {
		i, e := s.taskIndex(p, c)
		if e != nil {
			return nil, e
		}
		for j, x := range refs {
			if p.file(x.String()) == nil {
				return nil, invalid("attachments[%d].id: %s is no file of the profile", j, x)
			}
		}
		tk := &p.tasks[i]
		if len(tk.notes) >= maxNotes {
			return nil, invalid("The task has %d notes, the most the mock keeps", maxNotes)
		}
		tk.notes = append(tk.notes, note{id: s.ids.next(), at: t, text: text, attachments: refs})
		n := &tk.notes[len(tk.notes)-1]
		p.record(t, "added-a-task-note", "Added a note to a task", "", "task_id", tk.id)
		out := renderNote(p, n)
		return &out, nil
	})
}

// deleteNote serves DELETE /profiles/{profile_id}/tasks/{task_id}/notes/{note_id}.
func (s *Server) deleteNote(c *call) (any, *apiError) {
	return s.change(c, func(p *profile, t stamp) (any, *apiError) {
		i, e := s.taskIndex(p, c)
		if e != nil {
			return nil, e
		}
		tk := &p.tasks[i]
		if x, ok := parseID(c.m.sub2); ok {
			for j := range tk.notes {
				if tk.notes[j].id == x {
					tk.notes = append(tk.notes[:j], tk.notes[j+1:]...)
					p.record(t, "deleted-a-task-note", "Deleted a note of a task", "", "task_id", tk.id)
					return &struct{}{}, nil
				}
			}
		}
		return nil, notFound("Note not found: %s", c.m.sub2)
	})
}

// addTask serves POST /profiles/{profile_id}/tasks: an ad-hoc task, required
// by every open application of the profile while it is open.
func (s *Server) addTask(c *call) (any, *apiError) {
	o, e := c.object()
	if e != nil {
		return nil, e
	}
	ttype, e := o.required("", "type")
	if e != nil {
		return nil, e
	}
	complete, _, e := o.boolean("", "is_complete")
	if e != nil {
		return nil, e
	}
	checks, _, e := o.ids("", "check_ids")
	if e != nil {
		return nil, e
	}
	prod, vi := noProduct, 0
	if v, ok, e := o.obj("", "variant"); e != nil {
		return nil, e
	} else if ok {
		vid, _, e := v.str("variant", "id")
		if e != nil {
			return nil, e
		}
		alias, _, e := v.str("variant", "alias")
		if e != nil {
			return nil, e
		}
		prod, vi = s.findVariant(vid)
		if prod == noProduct {
			return nil, invalid("variant: no task variant has id %q or alias %q", vid, alias)
		}
		if got := s.products[prod].RequiredTasks[vi].TaskType; got != ttype {
			return nil, invalid("variant: the variant is for %s, not %s", got, ttype)
		}
	}
	return s.moving(c, func(p *profile, t stamp) (any, *apiError) {
		if want := roleEntity(p.role) + "_"; len(ttype) <= len(want) || ttype[:len(want)] != want {
			return nil, invalid("type: %s is not a task type of a %s profile", ttype, roleNames[p.role])
		}
		for j := range p.tasks {
			if tk := &p.tasks[j]; s.taskType(tk) == ttype && tk.state == taskIncomplete {
				return nil, conflict(codeDataPresent, "The profile already has an open %s task: %s", ttype, tk.id)
			}
		}
		if len(p.tasks) >= maxTasks {
			return nil, invalid("The profile has %d tasks, the most the mock keeps", maxTasks)
		}
		nt := task{id: s.ids.next(), product: uint16(prod), variant: uint8(vi), created: t, checkIDs: checks}
		if prod == noProduct {
			nt.adhocType = ttype
		}
		p.tasks = append(p.tasks, nt)
		ti := len(p.tasks) - 1
		if !complete {
			for j := range p.apps {
				if a := &p.apps[j]; a.open() {
					a.tasks = append(a.tasks, uint8(ti))
				}
			}
		}
		p.record(t, "added-a-task", "Added a task:", ttype, "task_id", nt.id)
		if complete {
			s.setTaskState(p, ti, taskPassed, t)
		} else {
			p.last = t
			s.settleAll(p, t, causeTasks)
			p.touched()
		}
		out := s.renderTask(&p.tasks[ti])
		return &out, nil
	})
}

// findVariant returns the product and index of the catalogue's task variant
// with the given id, noProduct if none.
func (s *Server) findVariant(vid string) (int, int) {
	if vid == "" {
		return noProduct, 0
	}
	for pi := range s.products {
		for vi, v := range s.products[pi].RequiredTasks {
			if v.VariantID == vid {
				return pi, vi
			}
		}
	}
	return noProduct, 0
}
