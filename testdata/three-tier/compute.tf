resource "aws_instance" "web" {
  ami                    = "ami-0123456789abcdef0"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.public[0].id
  vpc_security_group_ids = [aws_security_group.web.id]
  ipv6_address_count     = 1
  tags                   = { Name = "web" }
}

resource "aws_instance" "app" {
  ami                    = "ami-0123456789abcdef0"
  instance_type          = "t3.small"
  subnet_id              = aws_subnet.app[0].id
  vpc_security_group_ids = [aws_security_group.app.id]
  ipv6_address_count     = 1
  tags                   = { Name = "app" }
}

resource "aws_instance" "db" {
  ami                    = "ami-0123456789abcdef0"
  instance_type          = "r6i.large"
  subnet_id              = aws_subnet.data[0].id
  vpc_security_group_ids = [aws_security_group.data.id]
  ipv6_address_count     = 1
  tags                   = { Name = "db" }
}
