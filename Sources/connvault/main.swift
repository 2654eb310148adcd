print("connvault")
