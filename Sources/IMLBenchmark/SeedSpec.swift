/// The two-step login of the seed page (`seed/basic-connection.md`, "Multiple Request Verification Example").
enum SeedSpec {
    static let communication = #"""
        [
            {
                "url": "https://www.example.com/api/login/sign",
                "method": "GET",
                "qs": {
                    "username": "{{parameters.username}}",
                    "apiSecret": "{{parameters.apiSecret}}"
                },
                "response": {
                    "temp": {
                        "sign": "{{body.signature}}",
                        "userId": "{{body.userId}}",
                        "username": "{{body.username}}"
                    }
                }
            },
            {
                "url": "https://www.example.com/api/login",
                "method": "GET",
                "body": {
                    "signature": "{{temp.sign}}",
                    "password": "{{parameters.password}}"
                },
                "response": {
                    "data": {
                        "token": "{{body.accessToken}}"
                    },
                    "metadata": {
                        "value": "{{temp.username}}",
                        "type": "text"
                    },
                    "uid": "{{temp.userId}}"
                }
            }
        ]
        """#

    /// A context in which every template of the spec has a value.
    static let context = #"""
        {
            "parameters": {"username": "jane", "apiSecret": "s3cr3t", "password": "open sesame"},
            "temp": {"sign": "c2lnbmF0dXJl", "userId": 42, "username": "jane"},
            "body": {"signature": "c2lnbmF0dXJl", "userId": 42, "username": "jane", "accessToken": "tok-123"},
            "data": {},
            "common": {}
        }
        """#

    /// A typical stored data collection (~200 bytes), for the JSON round-trip rows.
    static let dataCollection = #"""
        {"username":"jane","apiSecret":"s3cr3t","token":"tok-7f3a9c2e1b","userId":9007199254740993,\#
        "expires":"2026-12-04T10:00:00.000Z","scopes":["read","write"],"refresh":null,"region":"eu1","verified":true}
        """#
}
