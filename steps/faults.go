package steps

// faultDefinitions are the steps that switch a mock's faults on (latency,
// rate limits, 5xx, dropped connections, slow or truncated bodies).
func faultDefinitions() []Def { return nil }
