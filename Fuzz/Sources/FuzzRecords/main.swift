import FuzzSupport

FuzzSupport.run { data, size in fuzzRecords(data, size) }
