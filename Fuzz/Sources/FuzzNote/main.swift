import FuzzSupport

FuzzSupport.run { data, size in fuzzNote(data, size) }
