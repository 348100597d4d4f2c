package webhooks

// Post sends one request with the client webhooks are sent with, for the
// dial-time check's test.
func (e Egress) Post(url string) error {
	resp, err := e.client().Post(url, "application/json", nil)
	if err == nil {
		_ = resp.Body.Close()
	}
	return err
}
