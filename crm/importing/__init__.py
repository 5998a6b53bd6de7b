"""Reading import files (CSV as 1C exports it, XLSX) into checked client and sales rows; see docs/import.md."""
