// Package atomicfile writes a file through a temporary file in the same
// folder and a rename, so a reader (a CI step, a second run) never sees half
// a report or half a recording, and a failed write leaves no litter.
package atomicfile

import (
	"bufio"
	"errors"
	"io"
	"os"
	"path/filepath"
)

// Write creates path's folder if needed and writes path with write, mode
// 0644. On failure the temporary file is removed and path is untouched.
// The error carries the cause only; callers say which file.
func Write(path string, write func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			if rm := os.Remove(tmp.Name()); rm != nil && !errors.Is(rm, os.ErrNotExist) {
				err = errors.Join(err, rm)
			}
		}
	}()
	bw := bufio.NewWriter(tmp)
	if err := write(bw); err != nil {
		tmp.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// WriteBytes writes data to path like Write.
func WriteBytes(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}
