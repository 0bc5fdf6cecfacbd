// Command bolt-fixture writes a bbolt database in the layout the Go version of ProxyGate kept in
// data/proxygate.db: buckets accounts, claude_accounts, apikeys, usage, settings and pins, JSON values.
//
// It writes two files:
//   - proxygate.db: a Go user's database (two ChatGPT accounts, one Claude account, two API keys, daily usage of
//     two days with billing keys, lifetime stats, pins, a Claude fallback policy). The newest day is -today
//     (default 2000-01-02, a marker that the migration gate rewrites to the current date so "today" matches).
//   - reader-test.db (with -reader-test): the structures a bbolt reader must handle: branch pages, overflow
//     pages, inline buckets and buckets nested two deep. Committed as
//     adapters-persistence/src/test/resources/bolt/reader-test.db.
//
// Build offline with Debian's packages (golang-go, golang-github-coreos-bbolt-dev):
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go run main.go -out proxygate.db
//	GO111MODULE=off GOPATH=/usr/share/gocode go run main.go -reader-test -out reader-test.db
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

type daily struct {
	Date         string  `json:"date"`
	Requests     int64   `json:"requests"`
	InputTokens  int64   `json:"input_tokens"`
	CachedTokens int64   `json:"cached_tokens,omitempty"`
	OutputTokens int64   `json:"output_tokens"`
	TotalTokens  int64   `json:"total_tokens"`
	TotalCost    float64 `json:"total_cost"`
	Errors       int64   `json:"errors"`
	Unpriced     int64   `json:"unpriced,omitempty"`
	Model        string  `json:"model,omitempty"`
	ServiceTier  string  `json:"service_tier,omitempty"`
}

type stats struct {
	TotalRequests  int64     `json:"total_requests"`
	TotalInputTkn  int64     `json:"total_input_tokens"`
	TotalOutputTkn int64     `json:"total_output_tokens"`
	TotalCost      float64   `json:"total_cost"`
	LastUsed       time.Time `json:"last_used"`
}

type pin struct {
	Email     string    `json:"email"`
	ExpiresAt time.Time `json:"expires_at"`
}

// row is one billing-key aggregate: who, which model@tier, and its counters.
type row struct {
	id, model, tier                      string
	req, in, cached, out, errs, unpriced int64
	cost                                 float64
}

func main() {
	out := flag.String("out", "proxygate.db", "file to write (replaced)")
	today := flag.String("today", "2000-01-02", "the newest day of usage, YYYY-MM-DD")
	readerTest := flag.Bool("reader-test", false, "write the reader's structure test database instead")
	flag.Parse()
	_ = os.Remove(*out)
	db, err := bolt.Open(*out, 0o600, &bolt.Options{Timeout: 2 * time.Second})
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	if *readerTest {
		err = db.Update(writeReaderTest)
	} else {
		err = db.Update(func(tx *bolt.Tx) error { return writeProxyGate(tx, *today) })
	}
	if err != nil {
		log.Fatal(err)
	}
}

func put(b *bolt.Bucket, key string, v any) {
	raw, err := json.Marshal(v)
	if err != nil {
		log.Fatal(err)
	}
	if err := b.Put([]byte(key), raw); err != nil {
		log.Fatal(err)
	}
}

func writeProxyGate(tx *bolt.Tx, today string) error {
	day, err := time.Parse("2006-01-02", today)
	if err != nil {
		return err
	}
	older := day.AddDate(0, 0, -1).Format("2006-01-02")
	buckets := map[string]*bolt.Bucket{}
	for _, name := range []string{"accounts", "claude_accounts", "apikeys", "usage", "settings", "pins"} {
		b, err := tx.CreateBucketIfNotExists([]byte(name))
		if err != nil {
			return err
		}
		buckets[name] = b
	}
	usage := buckets["usage"]
	days := map[string][]row{
		today: {
			{id: "acc:user@example.com", model: "gpt-5", req: 10, in: 12000, cached: 3000, out: 4000, errs: 2, cost: 0.095},
			{id: "acc:user@example.com", model: "gpt-5", tier: "priority", req: 2, in: 1000, out: 500, cost: 0.0125},
			{id: "acc:second@example.com", model: "gpt-5-codex", req: 3, in: 3000, out: 900, cost: 0.01275},
			{id: "acc:claude:claude@example.com", model: "claude-sonnet-4-5", req: 5, in: 5000, cached: 1000, out: 2000, cost: 0.0453},
			{id: "key:openai-main", model: "gpt-4o", req: 4, in: 4000, out: 1000, cost: 0.02},
			{id: "key:openai-main", model: "mystery-model", req: 1, in: 100, out: 10, unpriced: 1},
			{id: "key:anthropic-main", model: "claude-haiku-4-5", req: 2, in: 2000, out: 400, errs: 1, cost: 0.004},
			{id: "key:vertex-ai", model: "claude-opus-4-6", req: 1, in: 800, out: 200, cost: 0.009},
		},
		older: {
			{id: "acc:user@example.com", model: "gpt-5", req: 20, in: 24000, out: 8000, cost: 0.11},
			{id: "acc:user@example.com", model: "", req: 1, in: 50, out: 5, unpriced: 1},
			{id: "key:openai-main", model: "gpt-4o", req: 6, in: 6000, out: 1500, cost: 0.03},
		},
	}
	for d, rows := range days {
		total := daily{Date: d}
		per := map[string]*daily{}
		for _, r := range rows {
			one := daily{Date: d, Requests: r.req, InputTokens: r.in, CachedTokens: r.cached, OutputTokens: r.out,
				TotalTokens: r.in + r.out, TotalCost: r.cost, Errors: r.errs, Unpriced: r.unpriced}
			add(&total, one)
			if per[r.id] == nil {
				per[r.id] = &daily{Date: d}
			}
			add(per[r.id], one)
			if r.model == "" {
				continue // an unknown model has no billing key
			}
			billing := r.model
			if r.tier != "" {
				billing = r.model + "@" + strings.ToLower(r.tier)
			}
			one.Model, one.ServiceTier = r.model, r.tier
			put(usage, "day:"+d+":"+r.id+":bk:"+billing, one)
		}
		put(usage, "day:"+d, total)
		for id, v := range per {
			put(usage, "day:"+d+":"+id, v)
		}
	}
	lastUsed := time.Date(1999, 12, 30, 18, 0, 0, 0, time.UTC)
	// Lifetime counters (successful requests only) reach back before the kept days.
	put(buckets["accounts"], "stats:user@example.com", stats{130, 150000, 40000, 0.9, lastUsed})
	put(buckets["accounts"], "stats:second@example.com", stats{3, 3000, 900, 0.01275, lastUsed})
	put(buckets["claude_accounts"], "stats:claude@example.com", stats{25, 30000, 9000, 0.3, lastUsed})
	put(buckets["apikeys"], "stats:openai-main", stats{11, 10100, 2510, 0.05, lastUsed})
	put(buckets["apikeys"], "stats:anthropic-main", stats{1, 2000, 400, 0.004, lastUsed})
	// Pins: a session and a previous response id pinned to user@ (the router on its own prefers second@, the
	// less used account), and one that expired long ago (not imported).
	far := time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)
	put(buckets["pins"], "session:gate-session-1", pin{"user@example.com", far})
	put(buckets["pins"], "resp_fixture_1", pin{"user@example.com", far})
	put(buckets["pins"], "resp_expired", pin{"user@example.com", time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC)})
	policy := `{"enabled":false,"rules":[{"enabled":true,"from_model":"claude-opus-4-7","to_model":"claude-opus-4-6","to_variant":"preserve"}]}`
	return buckets["settings"].Put([]byte("claude_fallback_policy"), []byte(policy))
}

func add(d *daily, o daily) {
	d.Requests += o.Requests
	d.InputTokens += o.InputTokens
	d.CachedTokens += o.CachedTokens
	d.OutputTokens += o.OutputTokens
	d.TotalTokens += o.TotalTokens
	d.TotalCost += o.TotalCost
	d.Errors += o.Errors
	d.Unpriced += o.Unpriced
}

// writeReaderTest: "many" (1200 keys: several leaf pages under a branch page), "big" (one 20000-byte value: an
// overflow page run), "small" (an inline bucket), "outer" → "middle" → "inner" (nested buckets) and "empty".
func writeReaderTest(tx *bolt.Tx) error {
	many, err := tx.CreateBucket([]byte("many"))
	if err != nil {
		return err
	}
	for i := 0; i < 1200; i++ {
		if err := many.Put([]byte(fmt.Sprintf("key-%05d", i)), []byte(fmt.Sprintf("value-%d", i*7))); err != nil {
			return err
		}
	}
	big, err := tx.CreateBucket([]byte("big"))
	if err != nil {
		return err
	}
	payload := make([]byte, 20000)
	for i := range payload {
		payload[i] = byte('a' + i%26)
	}
	if err := big.Put([]byte("blob"), payload); err != nil {
		return err
	}
	if err := big.Put([]byte("tiny"), []byte("t")); err != nil {
		return err
	}
	small, err := tx.CreateBucket([]byte("small"))
	if err != nil {
		return err
	}
	if err := small.Put([]byte("k"), []byte("v")); err != nil {
		return err
	}
	outer, err := tx.CreateBucket([]byte("outer"))
	if err != nil {
		return err
	}
	if err := outer.Put([]byte("a"), []byte("1")); err != nil {
		return err
	}
	middle, err := outer.CreateBucket([]byte("middle"))
	if err != nil {
		return err
	}
	for i := 0; i < 500; i++ {
		if err := middle.Put([]byte(fmt.Sprintf("m%03d", i)), []byte(strings.Repeat("x", 40))); err != nil {
			return err
		}
	}
	inner, err := middle.CreateBucket([]byte("inner"))
	if err != nil {
		return err
	}
	if err := inner.Put([]byte("deep"), []byte("here")); err != nil {
		return err
	}
	_, err = tx.CreateBucket([]byte("empty"))
	return err
}
