package server

import (
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"
)

// CheckAddr refuses a listen address that is not loopback unless public
// is set: the server has no authentication, so exposing it must be a
// decision (kg serve --public), never a typo. An empty host (":8080")
// means every interface and counts as public. A host name other than
// localhost is refused too, since it may resolve to anything.
func CheckAddr(addr string, public bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--addr %q: want HOST:PORT, e.g. 127.0.0.1:8080: %v", addr, err)
	}
	if public {
		return nil
	}
	if IsLoopback(host) {
		return nil
	}
	return fmt.Errorf("--addr %s is not a loopback address; the server has no authentication, so pass --public to listen on it anyway", addr)
}

// IsLoopback reports whether a host (an IP or "localhost") is loopback.
func IsLoopback(host string) bool {
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// LoopbackHosts are the Host header names a loopback server answers (see
// Config.AllowedHosts).
func LoopbackHosts(listenHost string) []string {
	hosts := []string{"localhost", "127.0.0.1", "::1"}
	if listenHost != "" && !strings.EqualFold(listenHost, "localhost") && listenHost != "127.0.0.1" && listenHost != "::1" {
		hosts = append(hosts, listenHost)
	}
	return hosts
}

// NewHTTPServer wraps a handler in an http.Server with timeouts on every
// phase, so a slow or idle client cannot hold a connection (and its
// goroutine) forever: headers within 5 s, a whole request within 30 s, a
// response within 2 minutes (a big map), idle keep-alives 2 minutes.
func NewHTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
}
