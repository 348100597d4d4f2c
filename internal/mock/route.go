package mock

import (
	"net/http"
	"strings"
)

// Resources of the contract's paths.
type resource uint8

const (
	resNone resource = iota
	resWhoAmI
	resProfiles
	resProfile
	resProfileDelete
	resProfileStatus
	resEvents
	resEvent
	resApplications
	resApplication
	resRevert
	resTasks
	resTask
)

// match is a routed path: the resource and the ids in it.
type match struct {
	res     resource
	profile string // {profile_id}
	sub     string // {application_id}, {task_id} or {event_id}
}

// route maps a request path to a resource without regular expressions.
func route(path string) match {
	const prefix = "/4.0/"
	if !strings.HasPrefix(path, prefix) {
		return match{}
	}
	var seg [5]string
	n, rest := 0, path[len(prefix):]
	for {
		if n == len(seg) {
			return match{}
		}
		i := strings.IndexByte(rest, '/')
		if i < 0 {
			seg[n] = rest
			n++
			break
		}
		seg[n], rest = rest[:i], rest[i+1:]
		n++
	}
	for _, s := range seg[:n] {
		if s == "" {
			return match{}
		}
	}
	switch {
	case n == 1 && seg[0] == "whoami":
		return match{res: resWhoAmI}
	case seg[0] != "profiles":
		return match{}
	case n == 1:
		return match{res: resProfiles}
	case n == 2:
		return match{res: resProfile, profile: seg[1]}
	case n == 3:
		switch seg[2] {
		case "delete":
			return match{res: resProfileDelete, profile: seg[1]}
		case "status":
			return match{res: resProfileStatus, profile: seg[1]}
		case "events":
			return match{res: resEvents, profile: seg[1]}
		case "applications":
			return match{res: resApplications, profile: seg[1]}
		case "tasks":
			return match{res: resTasks, profile: seg[1]}
		}
	case n == 4:
		switch seg[2] {
		case "events":
			return match{res: resEvent, profile: seg[1], sub: seg[3]}
		case "applications":
			return match{res: resApplication, profile: seg[1], sub: seg[3]}
		case "tasks":
			return match{res: resTask, profile: seg[1], sub: seg[3]}
		}
	case n == 5 && seg[2] == "applications" && seg[4] == "revert_decision":
		return match{res: resRevert, profile: seg[1], sub: seg[3]}
	}
	return match{}
}

// handlerFor returns the operation serving method on res, nil if none.
func handlerFor(res resource, method string) handler {
	get := method == http.MethodGet
	post := method == http.MethodPost
	switch {
	case res == resWhoAmI && get:
		return (*Server).getWhoAmI
	case res == resProfiles && get:
		return (*Server).listProfiles
	case res == resProfiles && post:
		return (*Server).createProfile
	case res == resProfile && get:
		return (*Server).getProfile
	case res == resProfileDelete && post:
		return (*Server).deleteProfile
	case res == resProfileStatus && get:
		return (*Server).getProfileStatus
	case res == resProfileStatus && post:
		return (*Server).updateProfileStatus
	case res == resEvents && get:
		return (*Server).listEvents
	case res == resEvents && post:
		return (*Server).createEvent
	case res == resEvent && get:
		return (*Server).getEvent
	case res == resEvent && post:
		return (*Server).updateEvent
	case res == resApplications && get:
		return (*Server).listApplications
	case res == resApplications && post:
		return (*Server).addApplicationOp
	case res == resApplication && get:
		return (*Server).getApplication
	case res == resApplication && post:
		return (*Server).updateApplication
	case res == resRevert && post:
		return (*Server).revertDecision
	case res == resTasks && get:
		return (*Server).listTasks
	case res == resTask && get:
		return (*Server).getTask
	case res == resTask && post:
		return (*Server).updateTask
	}
	return nil
}

// allowed lists the methods a resource supports, for 405 answers.
func allowed(res resource) string {
	switch res {
	case resWhoAmI, resTasks:
		return "GET"
	case resProfileDelete, resRevert:
		return "POST"
	}
	return "GET, POST"
}
