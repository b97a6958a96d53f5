module vigil.dev/tools/redaction-check

go 1.22
