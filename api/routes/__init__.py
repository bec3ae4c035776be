"""The API's resources, one blueprint per thing an accountant works with."""
