"""Online certificates (e-demotis): requests, signed PDFs, verification, Assistance at Home."""
