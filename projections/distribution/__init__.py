"""Read models of the year-end distribution: the plans and each holder's line, kept in the books
read model beside the statements they are disclosed with."""
