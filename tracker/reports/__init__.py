"""Reports: capacity/ (the monthly capacity review), income/ and progress/ (the client
progress report), on the one blueprint in blueprint.py; feature.py wires them in."""
