"""Payment (收费): the platform's side of charging a person through WeChat Pay and Alipay."""
