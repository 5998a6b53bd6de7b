"""Server-rendered pages; thin: parse input, call a service or a read, render a template."""
