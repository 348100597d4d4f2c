package consistency

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tidwall/gjson"
)

// checks holds one small check per rule of spec/consistency.yaml, by name.
var checks = map[string]check{
	"immutable-id":             immutableID,
	"immutable-creation-date":  immutable("creation_date", kindProfile, kindTask, kindEvent),
	"immutable-role":           immutable("role", kindProfile),
	"immutable-task-type":      immutable("type", kindTask),
	"immutable-check-type":     immutable("check_type", kindCheck),
	"forward-only-check-state": forwardCheckState,
	"task-state-agrees":        taskStateAgrees,
	"task-progress-agrees":     taskProgressAgrees,
	"task-types-agree":         taskTypesAgree,
	"collection-steps-agree":   collectionStepsAgree,
	"blocker-task-agrees":      blockerTaskAgrees,
	"list-count-agrees":        listCountAgrees,
	"required-task-resolves":   resolves(kindApplication, "required_tasks", "id", kindTask, "tasks"),
	"blocker-task-resolves":    resolves(kindApplication, "approval_blockers", "task_id", kindTask, "tasks"),
	"blocker-event-resolves":   resolves(kindApplication, "approval_blockers", "event_id", kindEvent, "events"),
	"task-check-resolves":      resolves(kindTask, "check_ids", "", kindCheck, "checks"),
	"check-task-resolves":      resolves(kindCheck, "task_ids", "", kindTask, "tasks"),
	"event-task-resolves":      resolves(kindEvent, "resolution_task_ids", "", kindTask, "tasks"),
	"check-outcome-moves-task": checkOutcomeMovesTask,
}

// immutableID: a resource read by its id answers with that id.
func immutableID(in *input) []problem {
	if !strings.HasSuffix(in.op, "}") || !in.body.IsObject() {
		return nil
	}
	id := in.body.Get("id")
	want := in.path[strings.LastIndexByte(in.path, '/')+1:]
	if !id.Exists() || id.String() == want {
		return nil
	}
	return []problem{{"/id", fmt.Sprintf("read by id: got id %q, want %q", id.String(), want)}}
}

// immutable: field keeps the value the scenario first saw, for every
// resource of the kinds.
func immutable(field string, kinds ...string) check {
	return func(in *input) []problem {
		var out []problem
		for _, it := range in.items {
			r := in.prior(it)
			v := it.v.Get(field)
			if r == nil || !slices.Contains(kinds, it.kind) || !v.Exists() {
				continue
			}
			if was, ok := r.fields[field]; ok && was != v.Raw {
				out = append(out, problem{ptr(it.pointer, strings.ReplaceAll(field, ".", "/")),
					fmt.Sprintf("%s %s changed between reads: got %s, was %s", it.kind, it.id, v.Raw, was)})
			}
		}
		return out
	}
}

// checkStates orders a check's states: they only move forward.
var checkStates = map[string]int{"PENDING": 0, "RUNNING": 1, "COMPLETE": 2}

func forwardCheckState(in *input) []problem {
	var out []problem
	for _, it := range in.of(kindCheck) {
		r := in.prior(it)
		now, ok := checkStates[it.v.Get("state").String()]
		if r == nil || !ok {
			continue
		}
		if was, ok := checkStates[r.checkState]; ok && now < was {
			out = append(out, problem{ptr(it.pointer, "state"),
				fmt.Sprintf("check %s went back: got state %s, was %s", it.id, it.v.Get("state").String(), r.checkState)})
		}
	}
	return out
}

func taskStateAgrees(in *input) []problem {
	var out []problem
	for _, it := range in.of(kindTask) {
		state, done := it.v.Get("state"), it.v.Get("is_complete")
		if !state.Exists() || !done.Exists() {
			continue
		}
		if want := state.String() != "INCOMPLETE"; done.Bool() != want {
			out = append(out, problem{ptr(it.pointer, "is_complete"),
				fmt.Sprintf("task %s: is_complete %t with state %s, want %t", it.id, done.Bool(), state.String(), want)})
		}
	}
	return out
}

func taskProgressAgrees(in *input) []problem {
	var out []problem
	for _, it := range in.of(kindProfile) {
		tp, tasks := it.v.Get("task_progress"), it.v.Get("tasks")
		if !tp.IsObject() || !tasks.IsArray() {
			continue
		}
		total, done := 0, 0
		tasks.ForEach(func(_, t gjson.Result) bool {
			total++
			if t.Get("is_complete").Bool() {
				done++
			}
			return true
		})
		if got := tp.Get("total_count").Int(); got != int64(total) {
			out = append(out, problem{ptr(it.pointer, "task_progress", "total_count"), fmt.Sprintf("total_count %d, but the profile has %d tasks", got, total)})
		}
		if got := tp.Get("completed_count").Int(); got != int64(done) {
			out = append(out, problem{ptr(it.pointer, "task_progress", "completed_count"), fmt.Sprintf("completed_count %d, but %d of the profile's tasks are complete", got, done)})
		}
	}
	return out
}

func taskTypesAgree(in *input) []problem {
	var out []problem
	for _, it := range in.of(kindProfile) {
		types, tasks := it.v.Get("task_types"), it.v.Get("tasks")
		if !types.IsArray() || !tasks.IsArray() {
			continue
		}
		got, want := texts(types), texts(tasks.Get("#.type"))
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(slices.Compact(got), slices.Compact(want)) {
			out = append(out, problem{ptr(it.pointer, "task_types"), fmt.Sprintf("task_types %v, but the profile's tasks are of types %v", got, want)})
		}
	}
	return out
}

func collectionStepsAgree(in *input) []problem {
	var out []problem
	for _, it := range in.of(kindProfile) {
		has, steps := it.v.Get("has_collection_steps"), it.v.Get("collection_steps")
		if !has.Exists() || !steps.IsArray() {
			continue
		}
		if n := len(steps.Array()); has.Bool() != (n > 0) {
			out = append(out, problem{ptr(it.pointer, "has_collection_steps"), fmt.Sprintf("has_collection_steps %t with %d collection_steps", has.Bool(), n)})
		}
	}
	return out
}

// blockerTaskAgrees: an INCOMPLETE_TASK blocker's task_id and task_type name
// the same required task of its application.
func blockerTaskAgrees(in *input) []problem {
	var out []problem
	for _, it := range in.of(kindApplication) {
		types := map[string]string{}
		it.v.Get("required_tasks").ForEach(func(_, r gjson.Result) bool {
			types[r.Get("id").String()] = r.Get("task_type").String()
			return true
		})
		it.v.Get("approval_blockers").ForEach(func(k, b gjson.Result) bool {
			id, typ := b.Get("task_id").String(), b.Get("task_type").String()
			if b.Get("blocker_type").String() != "INCOMPLETE_TASK" || id == "" || typ == "" {
				return true
			}
			if want, ok := types[id]; ok && want != "" && want != typ {
				out = append(out, problem{ptr(it.pointer, "approval_blockers", int(k.Int()), "task_type"),
					fmt.Sprintf("INCOMPLETE_TASK blocker of task %s says task_type %s; the application's required task says %s", id, typ, want)})
			}
			return true
		})
	}
	return out
}

// listCountAgrees: a profile search answers at most limit results, and a
// count that covers the page it returned.
func listCountAgrees(in *input) []problem {
	if in.op != "GET /profiles" {
		return nil
	}
	res := in.body.Get("results")
	count, limit, offset := in.body.Get("count"), in.body.Get("limit"), in.body.Get("offset").Int()
	n := int64(len(res.Array()))
	var out []problem
	if limit.Exists() && n > limit.Int() {
		out = append(out, problem{"/results", fmt.Sprintf("%d results, over the limit %d", n, limit.Int())})
	}
	if count.Exists() && n > 0 && count.Int() < offset+n {
		out = append(out, problem{"/count", fmt.Sprintf("count %d, but offset %d and %d results returned", count.Int(), offset, n)})
	}
	return out
}

// resolves: in a profile, every id a resource of kind names in its array key
// (each element's field sub, or the element itself when sub is "") is a
// resource of target kind that the profile carries (at carriedAt) or that
// the scenario saw before.
func resolves(kind, key, sub, target, carriedAt string) check {
	return func(in *input) []problem {
		var out []problem
		var carriedBy *item // the profile carried was built for
		var carried map[string]bool
		for _, it := range in.of(kind) {
			if it.profile == nil {
				continue
			}
			// A profile's items come together: its ids are read once.
			if it.profile != carriedBy {
				carriedBy, carried = it.profile, map[string]bool{}
				it.profile.v.Get(carriedAt).ForEach(func(_, v gjson.Result) bool {
					carried[v.Get("id").String()] = true
					return true
				})
			}
			it.v.Get(key).ForEach(func(k, e gjson.Result) bool {
				at, id := ptr(it.pointer, key, int(k.Int())), e
				if sub != "" {
					at, id = ptr(at, sub), e.Get(sub)
				}
				if s := id.String(); s != "" && !carried[s] && !in.seen(target, s) {
					out = append(out, problem{at, fmt.Sprintf("%s %s names %s %s, which neither the profile nor an earlier response has", kind, it.id, target, s)})
				}
				return true
			})
		}
		return out
	}
}

// texts returns the strings of an array.
func texts(a gjson.Result) []string {
	var out []string
	a.ForEach(func(_, v gjson.Result) bool {
		out = append(out, v.String())
		return true
	})
	return out
}
