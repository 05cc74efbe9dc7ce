"""Writes N idempotency records through the sample app: N POSTs with unique keys on one
keep-alive connection. Usage: write-records.py <port> <path> <json body> <n> <key prefix>.
Fails unless every response is 201."""
import http.client
import sys

port, path, body, count, prefix = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
connection = http.client.HTTPConnection("127.0.0.1", int(port))
size = 0
for i in range(count):
    connection.request("POST", path, body=body, headers={
        "Content-Type": "application/json", "Idempotency-Key": '"%s-%d"' % (prefix, i)})
    response = connection.getresponse()
    payload = response.read()
    if response.status != 201:
        sys.exit("POST %s answered %d: %s" % (path, response.status, payload[:200]))
    size = len(payload)
print(size)
