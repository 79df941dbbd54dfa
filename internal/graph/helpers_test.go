package graph

import "testing"

// within runs fn with a bbolt store's file open, as Store's methods run,
// so a test can call the unexported readers and edit the file. A no-op
// wrapper on other backends.
func within(t testing.TB, s *Store, fn func()) {
	t.Helper()
	if err := s.enter(); err != nil {
		t.Fatal(err)
	}
	defer s.leave()
	fn()
}
