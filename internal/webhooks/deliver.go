package webhooks

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"time"
)

func (h *Hooks) enqueue(url string, body []byte) {
	h.mu.Lock()
	ob := h.out[url]
	if ob == nil {
		ob = &outbox{}
		h.out[url] = ob
	}
	if len(ob.queue) >= maxQueued {
		h.mu.Unlock()
		h.log.Warn("webhook dropped: the queue is full", "url", url, "queued", maxQueued)
		return
	}
	ob.queue = append(ob.queue, body)
	if !ob.running {
		ob.running = true
		h.sending.Add(1)
		go h.drain(url, ob)
	}
	h.mu.Unlock()
}

// drain sends one URL's queued webhooks in order and ends when none is left.
func (h *Hooks) drain(url string, ob *outbox) {
	defer h.sending.Done()
	for {
		h.mu.Lock()
		if len(ob.queue) == 0 {
			ob.running = false
			delete(h.out, url)
			h.mu.Unlock()
			return
		}
		body := ob.queue[0]
		ob.queue[0] = nil
		ob.queue = ob.queue[1:]
		h.mu.Unlock()
		h.send(url, body)
	}
}

// send delivers one webhook, trying again after 100 ms and 200 ms on the
// mock's clock.
func (h *Hooks) send(url string, body []byte) {
	var last string
	for i := range attempts {
		if i > 0 {
			<-h.clock.After(time.Duration(i) * 100 * time.Millisecond)
		}
		req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			last = err.Error()
			break
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := h.client.Do(req)
		if err != nil {
			last = err.Error()
			continue
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		_ = resp.Body.Close()
		code := resp.StatusCode
		if code/100 == 2 {
			return
		}
		last = resp.Status
		if code/100 == 3 {
			break // redirects are never followed (decision D80)
		}
		if code/100 == 4 && code != http.StatusRequestTimeout && code != http.StatusTooManyRequests {
			break // the receiver refuses it: trying again would not help
		}
	}
	h.log.Warn("webhook not delivered", "url", url, "last", last)
}
