# PrivateLink endpoint services in front of an internal Network Load Balancer: who may
# connect, and whether each connection waits for acceptance.
resource "aws_vpc" "main" {
  cidr_block = "10.50.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.50.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.50.2.0/24"
  availability_zone = "us-east-1b"
}

resource "aws_lb" "api" {
  name               = "api"
  internal           = true
  load_balancer_type = "network"
  subnets            = [aws_subnet.a.id, aws_subnet.b.id]
}

resource "aws_lb" "reports" {
  name               = "reports"
  internal           = true
  load_balancer_type = "network"
  subnets            = [aws_subnet.a.id, aws_subnet.b.id]
}

# Any AWS account, no approval.
resource "aws_vpc_endpoint_service" "api" {
  acceptance_required        = false
  allowed_principals         = ["*"]
  network_load_balancer_arns = [aws_lb.api.arn]
}

# Any AWS account may ask; each connection waits for the owner.
resource "aws_vpc_endpoint_service" "api_reviewed" {
  acceptance_required        = true
  allowed_principals         = ["*"]
  network_load_balancer_arns = [aws_lb.api.arn]
}

# One partner account, no approval.
resource "aws_vpc_endpoint_service" "partner" {
  acceptance_required        = false
  allowed_principals         = ["arn:aws:iam::111122223333:root"]
  network_load_balancer_arns = [aws_lb.reports.arn]
}

# Opened to everyone by a separate resource.
resource "aws_vpc_endpoint_service" "reports" {
  acceptance_required        = false
  network_load_balancer_arns = [aws_lb.reports.arn]
}

resource "aws_vpc_endpoint_service_allowed_principal" "everyone" {
  vpc_endpoint_service_id = aws_vpc_endpoint_service.reports.id
  principal_arn           = "*"
}
