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
	resChecks
	resCheck
	resCheckApprove
	resCheckReject
	resCollectedData
	resDocuments
	resImages
	resImage
	resFiles
	resFile
	resNotes
	resNote
	resTags
	resTag
	resTagSearch
	resSteps
	resEventsBulk
	resAudit
	resCompanySearch
	resAddressSearch
	resAddressFormat
	resCollectKeys
	resCollectKey
)

// match is a routed path: the resource and the ids in it.
type match struct {
	res     resource
	profile string // {profile_id}
	sub     string // {application_id}, {task_id}, {event_id}, {check_id}, ... or a tag search {term}
	sub2    string // {note_id}
}

// route maps a request path to a resource without regular expressions.
func route(path string) match {
	const prefix = "/4.0/"
	if !strings.HasPrefix(path, prefix) {
		return match{}
	}
	var seg [6]string
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
	if seg[0] != "profiles" {
		return routeAccount(seg[:n])
	}
	switch n {
	case 1:
		return match{res: resProfiles}
	case 2:
		return match{res: resProfile, profile: seg[1]}
	case 3:
		if r := profileCollection(seg[2]); r != resNone {
			return match{res: r, profile: seg[1]}
		}
	case 4:
		switch {
		case seg[2] == "events" && seg[3] == "bulk_update":
			// The literal path wins over /events/{event_id} for POST; a GET
			// reads the event named "bulk_update", which is none (404), as
			// the contract's routing of GET to getEvent says.
			return match{res: resEventsBulk, profile: seg[1], sub: seg[3]}
		case seg[2] == "collected_data" && seg[3] == "documents":
			return match{res: resDocuments, profile: seg[1]}
		}
		if r := profileItem(seg[2]); r != resNone {
			return match{res: r, profile: seg[1], sub: seg[3]}
		}
	case 5:
		switch {
		case seg[2] == "applications" && seg[4] == "revert_decision":
			return match{res: resRevert, profile: seg[1], sub: seg[3]}
		case seg[2] == "checks" && seg[4] == "approve":
			return match{res: resCheckApprove, profile: seg[1], sub: seg[3]}
		case seg[2] == "checks" && seg[4] == "reject":
			return match{res: resCheckReject, profile: seg[1], sub: seg[3]}
		case seg[2] == "tasks" && seg[4] == "notes":
			return match{res: resNotes, profile: seg[1], sub: seg[3]}
		}
	case 6:
		if seg[2] == "tasks" && seg[4] == "notes" {
			return match{res: resNote, profile: seg[1], sub: seg[3], sub2: seg[5]}
		}
	}
	return match{}
}

// profileCollection resolves the paths /profiles/{profile_id}/{name}.
func profileCollection(name string) resource {
	switch name {
	case "applications":
		return resApplications
	case "tasks":
		return resTasks
	case "events":
		return resEvents
	case "status":
		return resProfileStatus
	case "delete":
		return resProfileDelete
	case "checks":
		return resChecks
	case "collected_data":
		return resCollectedData
	case "document_images":
		return resImages
	case "files":
		return resFiles
	case "tags":
		return resTags
	case "collection_steps":
		return resSteps
	case "audit-items":
		return resAudit
	}
	return resNone
}

// profileItem resolves the paths /profiles/{profile_id}/{name}/{id}.
func profileItem(name string) resource {
	switch name {
	case "applications":
		return resApplication
	case "tasks":
		return resTask
	case "events":
		return resEvent
	case "checks":
		return resCheck
	case "document_images":
		return resImage
	case "files":
		return resFile
	case "tags":
		return resTag
	}
	return resNone
}

// routeAccount routes the paths outside /profiles.
func routeAccount(seg []string) match {
	switch {
	case len(seg) == 1 && seg[0] == "whoami":
		return match{res: resWhoAmI}
	case len(seg) == 3 && seg[0] == "tags" && seg[1] == "search":
		return match{res: resTagSearch, sub: seg[2]}
	case len(seg) == 2 && seg[0] == "search" && seg[1] == "companies":
		return match{res: resCompanySearch}
	case len(seg) == 2 && seg[0] == "address" && seg[1] == "search":
		return match{res: resAddressSearch}
	case len(seg) == 2 && seg[0] == "address" && seg[1] == "format":
		return match{res: resAddressFormat}
	case len(seg) == 2 && seg[0] == "api_keys" && seg[1] == "collect":
		return match{res: resCollectKeys}
	case len(seg) == 3 && seg[0] == "api_keys" && seg[1] == "collect":
		return match{res: resCollectKey, profile: seg[2]}
	}
	return match{}
}

// operation is what serves one method of one resource.
type operation struct {
	get, post, del handler
}

// operations lists, by resource, the handlers of each method.
var operations = [...]operation{
	resWhoAmI:        {get: (*Server).getWhoAmI},
	resProfiles:      {get: (*Server).listProfiles, post: (*Server).createProfile},
	resProfile:       {get: (*Server).getProfile},
	resProfileDelete: {post: (*Server).deleteProfile},
	resProfileStatus: {get: (*Server).getProfileStatus, post: (*Server).updateProfileStatus},
	resEvents:        {get: (*Server).listEvents, post: (*Server).createEvent},
	resEvent:         {get: (*Server).getEvent, post: (*Server).updateEvent},
	resApplications:  {get: (*Server).listApplications, post: (*Server).addApplicationOp},
	resApplication:   {get: (*Server).getApplication, post: (*Server).updateApplication},
	resRevert:        {post: (*Server).revertDecision},
	resTasks:         {get: (*Server).listTasks, post: (*Server).addTask},
	resTask:          {get: (*Server).getTask, post: (*Server).updateTask},
	resChecks:        {get: (*Server).listChecks, post: (*Server).runCheck},
	resCheck:         {get: (*Server).getCheck, post: (*Server).updateCheck},
	resCheckApprove:  {post: (*Server).approveCheck},
	resCheckReject:   {post: (*Server).rejectCheck},
	resCollectedData: {get: (*Server).getCollectedData, post: (*Server).replaceCollectedData},
	resDocuments:     {post: (*Server).addDocument},
	resImages:        {get: (*Server).listImages, post: (*Server).uploadImage},
	resImage:         {get: (*Server).getImage},
	resFiles:         {post: (*Server).uploadFile},
	resFile:          {get: (*Server).getFile},
	resNotes:         {get: (*Server).listNotes, post: (*Server).addNote},
	resNote:          {del: (*Server).deleteNote},
	resTags:          {post: (*Server).addTag},
	resTag:           {del: (*Server).removeTag},
	resTagSearch:     {get: (*Server).searchTags},
	resSteps:         {get: (*Server).listSteps, post: (*Server).replaceSteps},
	resEventsBulk:    {get: (*Server).getEvent, post: (*Server).bulkUpdateEvents},
	resAudit:         {get: (*Server).listAudit},
	resCompanySearch: {get: (*Server).searchCompanies},
	resAddressSearch: {get: (*Server).searchAddresses},
	resAddressFormat: {get: (*Server).formatAddress},
	resCollectKeys:   {post: (*Server).createCollectionKey},
	resCollectKey:    {post: (*Server).createProfileCollectionKey},
}

// handlerFor returns the operation serving method on res, nil if none.
func handlerFor(res resource, method string) handler {
	if int(res) >= len(operations) {
		return nil
	}
	op := &operations[res]
	switch method {
	case http.MethodGet:
		return op.get
	case http.MethodPost:
		return op.post
	case http.MethodDelete:
		return op.del
	}
	return nil
}

// allowed lists the methods a resource supports, for 405 answers.
func allowed(res resource) string {
	op := &operations[res]
	var ms []string
	if op.get != nil {
		ms = append(ms, "GET")
	}
	if op.post != nil {
		ms = append(ms, "POST")
	}
	if op.del != nil {
		ms = append(ms, "DELETE")
	}
	return strings.Join(ms, ", ")
}
