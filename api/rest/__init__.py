"""The HTTP layer: app factory, auth, errors, pagination, schemas and one blueprint per resource."""
